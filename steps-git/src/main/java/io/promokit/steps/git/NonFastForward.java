package io.promokit.steps.git;

import java.util.regex.Pattern;

/**
 * Recognises a push that lost a race: git's rejection of a branch update because the remote branch moved
 * (Kargo's rule, the only push failure its retry loop retries).
 */
final class NonFastForward {

  private static final Pattern REJECTION = Pattern.compile(
      "^\\s*!\\s+\\[(?:remote )?rejected].+\\((?:non-fast-forward|fetch first|cannot lock ref.*|"
          + "incorrect old value provided)\\)\\s*$",
      Pattern.MULTILINE);

  private NonFastForward() {}

  /** Whether git's push output reports a non-fast-forward rejection. */
  static boolean isRejection(String pushOutput) {
    return pushOutput != null && REJECTION.matcher(pushOutput).find();
  }
}
