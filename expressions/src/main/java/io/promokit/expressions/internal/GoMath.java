package io.promokit.expressions.internal;

/**
 * Go's {@code math.Pow}, which expr-lang's {@code **} calls. Java's {@code Math.pow} is correctly rounded;
 * Go's is not, and differs from it in the last bit for about one input in five ({@code 2 ** 1.5} is
 * 2.82842712474619 in Go, 2.8284271247461903 in Java). This follows the steps of Go's algorithm: its special
 * cases, the fractional part of the exponent through {@code exp(yf * log(x))}, the integer part by repeated
 * squaring on the mantissa with the binary exponent kept apart, and one final scaling. Go computes exp and
 * log with code chosen per CPU; {@link #exp} and {@link #log} follow the amd64 ones (exp with fused
 * multiply-add, which every current x86-64 server has), the platform Kargo runs on.
 */
final class GoMath {
  private GoMath() {}

  /** 2^63, the first exponent whose integer part no longer fits an int64. */
  private static final double TWO_TO_63 = 0x1p63;

  static double pow(double x, double y) {
    if (y == 0 || x == 1) {
      return 1;
    }
    if (y == 1) {
      return x;
    }
    if (Double.isNaN(x) || Double.isNaN(y)) {
      return Double.NaN;
    }
    if (x == 0) {
      if (y < 0) {
        return isOddInt(y) ? Math.copySign(Double.POSITIVE_INFINITY, x) : Double.POSITIVE_INFINITY;
      }
      return isOddInt(y) ? x : 0;
    }
    if (Double.isInfinite(y)) {
      if (x == -1) {
        return 1;
      }
      return (Math.abs(x) < 1) == (y > 0) ? 0 : Double.POSITIVE_INFINITY;
    }
    if (Double.isInfinite(x)) {
      if (x < 0) {
        return pow(1 / x, -y); // -Inf ** y is -0 ** -y
      }
      return y < 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    if (y == 0.5) {
      return Math.sqrt(x);
    }
    if (y == -0.5) {
      return 1 / Math.sqrt(x);
    }

    double ay = Math.abs(y);
    double yi = ay < 1 ? 0 : truncate(ay);
    double yf = ay - yi;
    if (yf != 0 && x < 0) {
      return Double.NaN;
    }
    if (yi >= TWO_TO_63) {
      // A huge even exponent: overflow or underflow for every x but -1 (x == 1 returned above).
      if (x == -1) {
        return 1;
      }
      return (Math.abs(x) < 1) == (y > 0) ? 0 : Double.POSITIVE_INFINITY;
    }

    // The answer is a1 * 2^ae.
    double a1 = 1.0;
    long ae = 0;
    if (yf != 0) {
      if (yf > 0.5) {
        yf--;
        yi++;
      }
      a1 = exp(yf * log(x));
    }

    // x = x1 * 2^xe with x1 in [0.5, 1): multiply in x1^(2^k) for each set bit k of yi.
    int xe = binaryExponent(x);
    double x1 = Math.scalb(x, -xe);
    for (long i = (long) yi; i != 0; i >>= 1) {
      if (xe < -(1 << 12) || (1 << 12) < xe) {
        // The exponent is already beyond any double: the final scaling over- or underflows.
        ae += xe;
        break;
      }
      if ((i & 1) == 1) {
        a1 *= x1;
        ae += xe;
      }
      x1 *= x1;
      xe <<= 1;
      if (x1 < .5) {
        x1 += x1;
        xe--;
      }
    }
    if (y < 0) {
      a1 = 1 / a1;
      ae = -ae;
    }
    return scale(a1, ae);
  }

  private static double truncate(double v) {
    return v < 0 ? Math.ceil(v) : Math.floor(v);
  }

  private static boolean isOddInt(double v) {
    if (Math.abs(v) >= 0x1p53) {
      return false; // every double from 2^53 on is even
    }
    return v == truncate(v) && (((long) v) & 1) == 1;
  }

  /** The e with x = f * 2^e and 0.5 <= |f| < 1, for a finite non-zero x (Go's Frexp exponent). */
  private static int binaryExponent(double x) {
    if (Math.getExponent(x) < Double.MIN_EXPONENT) {
      return Math.getExponent(x * 0x1p52) + 1 - 52; // subnormal
    }
    return Math.getExponent(x) + 1;
  }

  /**
   * frac * 2^exp rounded once, as Go's Ldexp does; exponents far out of range saturate to an infinity or a
   * signed zero.
   */
  private static double scale(double frac, long exp) {
    int bounded = (int) Math.max(-4096, Math.min(4096, exp));
    return Math.scalb(frac, bounded);
  }

  // ---------------------------------------------------------------------------------------------------------
  // exp: range reduction by ln 2, a Taylor polynomial on x/16, then four squarings (Shibata's method, as in
  // Go's exp_amd64.s on CPUs with FMA).

  private static final double LOG2E = 1.4426950408889634073599246810018920;
  private static final double LN2U = 0.69314718055966295651160180568695068359375;
  private static final double LN2L = 0.28235290563031577122588448175013436025525412068e-12;
  private static final double EXP_OVERFLOW = 7.09782712893384e+02;
  private static final double[] EXP_TAYLOR = {
      2.4801587301587301587e-5, 1.9841269841269841270e-4, 1.3888888888888888889e-3, 8.3333333333333333333e-3,
      4.1666666666666666667e-2, 1.6666666666666666667e-1, 0.5, 1.0};

  static double exp(double x) {
    if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
      return x;
    }
    if (x == Double.NEGATIVE_INFINITY) {
      return 0;
    }
    if (x > EXP_OVERFLOW) {
      return Double.POSITIVE_INFINITY;
    }
    int k = roundToInt(LOG2E * x);
    double kd = k;
    double r = Math.fma(-kd, LN2U, x);
    r = Math.fma(-kd, LN2L, r);
    r *= 0.0625;
    double p = EXP_TAYLOR[0];
    for (int i = 1; i < EXP_TAYLOR.length; i++) {
      p = Math.fma(r, p, EXP_TAYLOR[i]);
    }
    r *= p; // e^(x/16) - 1
    for (int i = 0; i < 3; i++) {
      r *= r + 2.0; // (e^t - 1) squared-and-shifted: e^(2t) - 1
    }
    r = Math.fma(r + 2.0, r, 1.0);
    // r * 2^k, through the subnormal range in two exact-then-rounding steps as the assembly does.
    long biased = (long) k + 0x3FF;
    if (biased <= 0) {
      if (biased < -52) {
        return 0;
      }
      r *= Double.longBitsToDouble((biased + 0x3FE) << 52);
      biased = 1;
    } else if (biased >= 0x7FF) {
      return Double.POSITIVE_INFINITY;
    }
    return r * Double.longBitsToDouble(biased << 52);
  }

  /** The x86 conversion of a double to a 32-bit int: round half to even, out of range gives MIN_VALUE. */
  private static int roundToInt(double v) {
    double r = Math.rint(v);
    if (Double.isNaN(r) || r >= 0x1p31 || r < -0x1p31) {
      return Integer.MIN_VALUE;
    }
    return (int) r;
  }

  // ---------------------------------------------------------------------------------------------------------
  // log: FreeBSD's reduction to f in [sqrt(2)/2, sqrt(2)) and its polynomial, as Go's log.go and log_amd64.s.

  private static final double LN2_HI = 6.93147180369123816490e-01;
  private static final double LN2_LO = 1.90821492927058770002e-10;
  private static final double HALF_SQRT2 = 7.07106781186547524401e-01;
  private static final double L1 = 6.666666666666735130e-01;
  private static final double L2 = 3.999999999940941908e-01;
  private static final double L3 = 2.857142874366239149e-01;
  private static final double L4 = 2.222219843214978396e-01;
  private static final double L5 = 1.818357216161805012e-01;
  private static final double L6 = 1.531383769920937332e-01;
  private static final double L7 = 1.479819860511658591e-01;

  static double log(double x) {
    if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
      return x;
    }
    if (x < 0) {
      return Double.NaN;
    }
    if (x == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    long bits = Double.doubleToRawLongBits(x);
    // The mantissa read from the bits with the exponent of 0.5, as the assembly reads it.
    double f1 = Double.longBitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FE0000000000000L);
    double k = (int) ((bits >>> 52) & 0x7FF) - 0x3FE;
    if (!(HALF_SQRT2 < f1)) {
      k -= 1;
      f1 *= 2;
    }
    double f = f1 - 1;
    double s = f / (2 + f);
    double s2 = s * s;
    double s4 = s2 * s2;
    double t1 = s2 * (L1 + s4 * (L3 + s4 * (L5 + s4 * L7)));
    double t2 = s4 * (L2 + s4 * (L4 + s4 * L6));
    double r = t1 + t2;
    double hfsq = 0.5 * f * f;
    return k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f);
  }
}
