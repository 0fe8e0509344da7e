package io.promokit;

/** The status of one step, with the words the record uses. */
public enum StepStatus {
  /** Not considered yet (only in the record of a promotion that is still running). */
  PENDING("Pending", -1),
  SUCCEEDED("Succeeded", 0),
  SKIPPED("Skipped", 1),
  RUNNING("Running", 2),
  ABORTED("Aborted", 3),
  FAILED("Failed", 4),
  ERRORED("Errored", 5);

  private final String word;
  private final int severity;

  StepStatus(String word, int severity) {
    this.word = word;
    this.severity = severity;
  }

  /** The status word of the record: {@code Succeeded}, {@code Failed}, ... */
  public String word() {
    return word;
  }

  /**
   * The order used for the promotion's phase: Succeeded &lt; Skipped &lt; Running &lt; Aborted &lt; Failed &lt;
   * Errored (SEMANTICS.md section 3).
   */
  public int severity() {
    return severity;
  }

  /** Whether the step will not run again. */
  public boolean isFinal() {
    return this != PENDING && this != RUNNING;
  }

  /** Whether {@code failure()} counts it. */
  public boolean isFailure() {
    return this == FAILED || this == ERRORED;
  }

  /** The status for a record word. */
  public static StepStatus fromWord(String word) {
    for (StepStatus s : values()) {
      if (s.word.equals(word)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown step status \"" + word + "\"");
  }

  @Override
  public String toString() {
    return word;
  }
}
