package io.promokit.expressions.internal;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times as Go prints them. Times in expressions are {@link OffsetDateTime}s (now() is in UTC). */
final class GoTime {
  private GoTime() {}

  private static final DateTimeFormatter BASE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
  private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

  /** RFC 3339 with nanoseconds (trailing zeros dropped), as Go's JSON encoding of time.Time. */
  static String rfc3339(OffsetDateTime t) {
    StringBuilder sb = new StringBuilder(BASE.format(t)).append(fraction(t.getNano()));
    ZoneOffset off = t.getOffset();
    sb.append(off.getTotalSeconds() == 0 ? "Z" : off.getId());
    return sb.toString();
  }

  /** Go's time.Time.String(): {@code 2006-01-02 15:04:05.999999999 -0700 MST}. */
  static String string(OffsetDateTime t) {
    ZoneOffset off = t.getOffset();
    String numeric = off.getId().equals("Z") ? "+0000" : off.getId().replace(":", "");
    String name = off.getTotalSeconds() == 0 ? "UTC" : numeric;
    return SPACED.format(t) + fraction(t.getNano()) + " " + numeric + " " + name;
  }

  private static String fraction(int nanos) {
    if (nanos == 0) {
      return "";
    }
    String digits = String.format("%09d", nanos);
    int end = digits.length();
    while (digits.charAt(end - 1) == '0') {
      end--;
    }
    return "." + digits.substring(0, end);
  }
}
