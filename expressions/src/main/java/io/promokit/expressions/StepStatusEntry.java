package io.promokit.expressions;

import java.util.Objects;

/**
 * One step that has been considered so far in a promotion, as the status functions see it.
 *
 * @param alias the step's full alias ({@code step-1}, {@code deploy}, {@code task-2::step-1})
 * @param status the status word ({@code Succeeded}, {@code Failed}, {@code Errored}, {@code Skipped},
 *     {@code Running}, {@code Aborted})
 * @param continueOnError whether the step is hidden from {@code failure()}/{@code success()}
 */
public record StepStatusEntry(String alias, String status, boolean continueOnError) {
  public StepStatusEntry {
    Objects.requireNonNull(alias, "alias must not be null");
    Objects.requireNonNull(status, "status must not be null");
  }
}
