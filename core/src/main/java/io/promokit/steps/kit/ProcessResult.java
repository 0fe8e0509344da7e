package io.promokit.steps.kit;

import io.promokit.StepException;
import java.util.Objects;

/**
 * How a command of {@link ProcessRunner} ended. A non-zero exit code is not an error by itself: the step
 * decides ({@link #requireSuccess()} makes it one).
 *
 * @param description how messages name the command ({@code git push})
 * @param exitCode the exit code (128 + the signal number when a signal ended it)
 * @param stdout what the command wrote on stdout, as UTF-8 text, unmasked, up to the capture limit
 * @param stdoutTruncated whether stdout was longer than the capture limit (the rest was not kept)
 * @param stderrTail the last 16 KiB of stderr, masked, for messages
 */
public record ProcessResult(
    String description, int exitCode, String stdout, boolean stdoutTruncated, String stderrTail) {

  public ProcessResult {
    Objects.requireNonNull(description, "description must not be null");
    Objects.requireNonNull(stdout, "stdout must not be null");
    Objects.requireNonNull(stderrTail, "stderrTail must not be null");
  }

  /** Whether the command exited with code 0. */
  public boolean succeeded() {
    return exitCode == 0;
  }

  /**
   * This result when the command succeeded.
   *
   * @throws StepException (retryable) {@code git push exited with code 1: <the end of stderr>} otherwise
   */
  public ProcessResult requireSuccess() {
    if (succeeded()) {
      return this;
    }
    throw new StepException(description + " exited with code " + exitCode
        + (stderrTail.isBlank() ? " (no output on stderr)" : ": " + stderrTail.strip()));
  }
}
