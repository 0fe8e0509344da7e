package io.promokit.internal.engine;

import io.promokit.PromotionException;
import io.promokit.StepException;
import io.promokit.documents.SourceLocation;
import io.promokit.documents.SourceMap;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.GoDuration;
import io.promokit.internal.ConfigPath;
import io.promokit.spi.ContainerRuntimeException;
import java.time.Duration;

/** The engine's wording of step outcomes, and which errors end a step at once. */
final class StepMessages {
  /** The message of a step that an abort kept from starting. */
  static final String NOT_RUN_ABORTED = "not run: the promotion was aborted";

  private StepMessages() {}

  /**
   * {@code step "<alias>": <message>}, unless the message already starts so; when the message starts with a
   * config path ({@code config.path: ...}, {@code invalid config: config.x: ...}) that the step's file shows,
   * it is prefixed with where that key is written ({@code values.yaml:12:7: step ...}).
   */
  static String ofStep(StepState state, String message) {
    String path = ConfigPath.leading(message);
    return ofStep(state, message, path == null ? null : state.step.source().keyOf(path).orElse(null));
  }

  /**
   * {@code <file:line:col>: step "<alias>": <message>}: the message of an error whose place in the file is known
   * (an expression that failed on the values it met), or without the location when it is null or unknown.
   */
  static String ofStep(StepState state, String message, SourceLocation at) {
    String prefix = "step \"" + state.alias() + "\"";
    String text = message.startsWith(prefix) ? message : prefix + ": " + message;
    return at == null || at.line() <= 0 ? text : at + ": " + text;
  }

  /**
   * Where a failed expression of the step is written: the offending value's character when the file shows it
   * as it is, else the value.
   *
   * @param path the expression's place in the step's source map: a config path, or {@code if}
   */
  static SourceLocation locate(StepState state, String path, ExpressionException e) {
    if (e instanceof LocatedExpressionException located) {
      return located.location();
    }
    if (path == null) {
      return null;
    }
    SourceMap source = state.step.source();
    return (e.column() > 0 ? source.charOf(path, e.template(), e.column() - 1) : source.valueOf(path)).orElse(null);
  }

  static String timedOut(StepState state, Duration timeout) {
    return "step \"" + state.alias() + "\" timed out after " + GoDuration.format(timeout)
        + (state.lastError == null ? "" : "; last error: " + state.lastError);
  }

  static String aborted(StepState state, boolean graceful) {
    return "step \"" + state.alias() + "\" was aborted" + (graceful ? " (graceful abort)" : "");
  }

  /** The promotion's message when an abort came before {@code state} started (between steps or before the first). */
  static String abortedBefore(StepState state) {
    return "the promotion was aborted before step \"" + state.alias() + "\" started";
  }

  static String thresholdMet(StepState state, int threshold, String lastError) {
    String path = ConfigPath.leading(lastError);
    SourceLocation at = path == null ? null : state.step.source().keyOf(path).orElse(null);
    String text = "step \"" + state.alias() + "\" met error threshold of " + threshold + ": " + lastError;
    return at == null || at.line() <= 0 ? text : at + ": " + text;
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
