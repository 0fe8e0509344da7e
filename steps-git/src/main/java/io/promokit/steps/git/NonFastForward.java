package io.promokit.steps.git;

import java.util.regex.Pattern;

/**
 * Recognises a push that lost a race: git's rejection of a branch update because the remote branch moved
 * (Kargo's rule, the only push failure its retry loop retries).
 */
final class NonFastForward {

  /** Kargo's pattern: the rejection line names the reason. */
  private static final Pattern REJECTION = Pattern.compile(
      "^\\s*!\\s+\\[(?:remote )?rejected].+\\((?:non-fast-forward|fetch first|cannot lock ref.*|"
          + "incorrect old value provided)\\)\\s*$",
      Pattern.MULTILINE);

  /**
   * [ours] A git 2.39 server says it on two lines: {@code remote: error: cannot lock ref 'refs/heads/main':
   * is at X but expected Y}, then {@code ! [remote rejected] HEAD -> main (failed to update ref)}; Kargo's
   * pattern misses that race.
   */
  private static final Pattern FAILED_UPDATE = Pattern.compile(
      "^\\s*!\\s+\\[remote rejected].+\\(failed to update ref\\)\\s*$", Pattern.MULTILINE);

  private static final Pattern MOVED_UNDERNEATH = Pattern.compile(
      "cannot lock ref '[^']+': is at [0-9a-f]+ but expected [0-9a-f]+");

  private NonFastForward() {}

  /** Whether git's push output reports a non-fast-forward rejection. */
  static boolean isRejection(String pushOutput) {
    if (pushOutput == null) {
      return false;
    }
    return REJECTION.matcher(pushOutput).find()
        || (FAILED_UPDATE.matcher(pushOutput).find() && MOVED_UNDERNEATH.matcher(pushOutput).find());
  }
}
