package io.promokit.cli;

import io.promokit.expressions.SecretMasker;

/** Refuses secret values too short to be masked safely when a file or env holding them is loaded. */
final class MaskableSecrets {
  private MaskableSecrets() {}

  /**
   * Returns the value when it is empty or long enough to mask ({@link SecretMasker#canMask}).
   *
   * @param where names the secret in the message ({@code file: secret "db" key "password"}); the value is never shown
   * @throws BadInputException otherwise
   */
  static String require(String value, String where) {
    if (!value.isBlank() && !SecretMasker.canMask(value)) {
      throw new BadInputException(where + ": the value is shorter than " + SecretMasker.minimumLength()
          + " characters, too short to be masked safely (masking it would hide the same letters in unrelated"
          + " output); use a longer secret (the value is not shown)");
    }
    return value;
  }
}
