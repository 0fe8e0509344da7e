package io.promokit.expressions.internal;

/**
 * A bound on deep walks over values (JSON, YAML, {@code string()}, equality, normalisation). Values can
 * share structure ({@code reduce(1..40, [#acc, #acc], [])} is small in memory but has 2^40 leaves), so every
 * walk counts the nodes it visits and stops with an error instead of running for ever.
 */
final class Walk {
  /** Nodes one walk may visit: enough for any real config, small enough to stop in well under a second. */
  static final long NODE_LIMIT = 1L << 20;

  private long left;

  Walk(long limit) {
    this.left = limit;
  }

  static Walk start() {
    return new Walk(NODE_LIMIT);
  }

  void step() {
    if (--left < 0) {
      throw new EvalError("the value is too large to process: it has more than the limit of " + NODE_LIMIT
          + " nested values (counting shared ones each time they appear)");
    }
  }
}
