package io.promokit.steps.kit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * URL queries as Go's {@code net/url} builds them, which is what Kargo's http and http-download steps send:
 * {@code url.QueryEscape} (letters, digits and {@code -_.~} stay, a space becomes {@code +}, every other UTF-8
 * byte {@code %XX}), its inverse, and {@code url.Values} re-encoding a query with added parameters.
 */
public final class UrlQuery {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * One query parameter.
   *
   * @param name the name, not encoded
   * @param value the value, not encoded
   */
  public record Param(String name, String value) {}

  private UrlQuery() {}

  /**
   * The raw query with the parameters added, as {@code url.Values.Encode} writes it: the query's own parameters
   * are decoded, the added ones appended, and all of them encoded again sorted by name (stable, so values of one
   * name keep their order).
   *
   * @param rawQuery the URL's raw query, or null
   * @param added the parameters to add
   * @return the encoded query, without a leading {@code ?}
   */
  public static String withParams(String rawQuery, List<Param> added) {
    List<Param> params = new ArrayList<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        params.add(eq < 0 ? new Param(unescape(pair), "")
            : new Param(unescape(pair.substring(0, eq)), unescape(pair.substring(eq + 1))));
      }
    }
    params.addAll(added);
    params.sort(Comparator.comparing(Param::name));
    StringBuilder sb = new StringBuilder();
    for (Param p : params) {
      sb.append(sb.length() == 0 ? "" : "&").append(escape(p.name())).append('=').append(escape(p.value()));
    }
    return sb.toString();
  }

  /** {@code url.QueryEscape} of the text (see the class description). */
  public static String escape(String text) {
    StringBuilder sb = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.' || c == '~') {
        sb.append((char) c);
      } else if (c == ' ') {
        sb.append('+');
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }

  /** {@code url.QueryUnescape}: {@code +} is a space, {@code %XX} a byte; a malformed escape is kept as text. */
  public static String unescape(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
        bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }
}
