package io.promokit.internal.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** {@link io.promokit.StepContext#stepKey()}: stable per promotion and alias, and safe in names and labels. */
final class StepKeys {
  private StepKeys() {}

  /** The first 12 bytes of SHA-256 over the promotion's name and the alias, in hex. */
  static String of(String promotion, String alias) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((promotion + "\n" + alias).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
