package io.promokit.internal.engine;

import io.promokit.PromotionException;
import io.promokit.StepException;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.GoDuration;
import io.promokit.spi.ContainerRuntimeException;
import java.time.Duration;

/** The engine's wording of step outcomes, and which errors end a step at once. */
final class StepMessages {
  private StepMessages() {}

  /** {@code step "<alias>": <message>}, unless the message already starts so. */
  static String ofStep(StepState state, String message) {
    String prefix = "step \"" + state.alias() + "\"";
    return message.startsWith(prefix) ? message : prefix + ": " + message;
  }

  static String timedOut(StepState state, Duration timeout) {
    return "step \"" + state.alias() + "\" timed out after " + GoDuration.format(timeout)
        + (state.lastError == null ? "" : "; last error: " + state.lastError);
  }

  static String aborted(StepState state, boolean graceful) {
    return "step \"" + state.alias() + "\" was aborted" + (graceful ? " (graceful abort)" : "");
  }

  static String thresholdMet(StepState state, int threshold, String lastError) {
    return "step \"" + state.alias() + "\" met error threshold of " + threshold + ": " + lastError;
  }

  /** Whether an error ends the step without a retry. */
  static boolean isTerminal(Throwable error) {
    return (error instanceof StepException se && se.isTerminal()) || error instanceof ExpressionException
        || (error instanceof ContainerRuntimeException cre && !cre.isRetryable());
  }

  /** An error as the record shows it: the message of our own exceptions, the type and message of others. */
  static String ofError(Throwable error) {
    if (error instanceof PromotionException || error instanceof ExpressionException) {
      return String.valueOf(error.getMessage());
    }
    if (error instanceof InterruptedException) {
      return "the step was interrupted";
    }
    String text = error.getMessage();
    return error.getClass().getSimpleName() + (text == null ? "" : ": " + text);
  }

  /** A value in a message: {@code the string "x"}, {@code Long 3}, {@code null}. */
  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    return value instanceof String ? "the string \"" + value + "\"" : value.getClass().getSimpleName() + " " + value;
  }
}
