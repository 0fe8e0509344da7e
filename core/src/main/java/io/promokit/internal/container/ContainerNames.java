package io.promokit.internal.container;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Deterministic container names and label values, valid for Docker and Kubernetes. */
final class ContainerNames {

  private static final int MAX = 63;

  private ContainerNames() {}

  /**
   * A DNS-1123 label for one attempt: {@code <promotion>-<step>-a<attempt>-<hash>}, each part lower-cased
   * with other characters turned into dashes and shortened so the whole fits 63 characters. The hash of
   * the unshortened parts keeps names distinct when shortening makes them alike.
   */
  static String containerName(String promotion, String alias, int attempt) {
    String hash = hash(promotion + "\n" + alias + "\n" + attempt);
    String suffix = "-a" + attempt + "-" + hash;
    String promo = dns(promotion, "promotion");
    String step = dns(alias, "step");
    int room = MAX - suffix.length() - 1;
    if (promo.length() + step.length() > room) {
      int promoRoom = Math.max(room / 2, room - step.length());
      promo = trim(promo, Math.min(promo.length(), promoRoom));
      step = trim(step, room - promo.length());
    }
    return promo + "-" + step + suffix;
  }

  /** A label value: at most 63 of {@code [A-Za-z0-9._-]}, starting and ending with a letter or digit. */
  static String labelValue(String value) {
    String s = value.replaceAll("[^A-Za-z0-9._-]", "-");
    if (s.length() > MAX) {
      s = s.substring(0, MAX - 7) + "-" + hash(value).substring(0, 6);
    }
    return s.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
  }

  private static String dns(String value, String fallback) {
    String s = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-")
        .replaceAll("^-+", "").replaceAll("-+$", "");
    return s.isEmpty() ? fallback : s;
  }

  private static String trim(String s, int length) {
    String t = s.substring(0, Math.max(1, length)).replaceAll("-+$", "");
    return t.isEmpty() ? "x" : t;
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 3);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
