package io.promokit.steps.argocd;

import java.util.Optional;

/**
 * The phase of an Argo CD operation, in Kargo's order of importance when several Applications are aggregated:
 * the first of the list wins ({@code Failed} before {@code Error} before {@code Running} before
 * {@code Terminating} before {@code Succeeded}).
 */
enum OperationPhase {
  FAILED("Failed"),
  ERROR("Error"),
  RUNNING("Running"),
  TERMINATING("Terminating"),
  SUCCEEDED("Succeeded");

  private final String word;

  OperationPhase(String word) {
    this.word = word;
  }

  String word() {
    return word;
  }

  /** Whether the operation has ended (Succeeded, Failed or Error). */
  boolean completed() {
    return this == SUCCEEDED || this == FAILED || this == ERROR;
  }

  /** Whether the operation ended badly (Failed or Error). */
  boolean failed() {
    return this == FAILED || this == ERROR;
  }

  /** The phase Argo CD wrote, or empty for a word it does not use. */
  static Optional<OperationPhase> of(String word) {
    for (OperationPhase phase : values()) {
      if (phase.word.equals(word)) {
        return Optional.of(phase);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return word;
  }
}
