package io.promokit.event;

import io.promokit.expressions.SecretMasker;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a step threw, with every secret value masked: the original exception's class name, its message (masked),
 * its stack trace, and the same for its causes and suppressed exceptions. The engine logs this copy and carries it
 * on {@link StepFinished#error()}, never the original, so a secret in an exception's message cannot reach a log or a
 * listener. {@link #toString()} and the stack trace read like the original's, with the original class name.
 */
public final class StepError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String originalClassName;

  private StepError(String originalClassName, String maskedMessage) {
    super(maskedMessage);
    this.originalClassName = originalClassName;
  }

  /**
   * A masked copy of {@code error} and its causes.
   *
   * @param error what the step threw
   * @param masker the promotion's masker (its registered secrets are replaced by {@code ***})
   */
  public static StepError of(Throwable error, SecretMasker masker) {
    Objects.requireNonNull(error, "error must not be null");
    Objects.requireNonNull(masker, "masker must not be null");
    return copy(error, masker, new IdentityHashMap<>());
  }

  private static StepError copy(Throwable error, SecretMasker masker, Map<Throwable, StepError> seen) {
    StepError done = seen.get(error);
    if (done != null) {
      return done; // a cause cycle, or an exception both a cause and suppressed
    }
    if (error instanceof StepError already) {
      return already;
    }
    String message = error.getMessage();
    StepError copy = new StepError(error.getClass().getName(), message == null ? null : masker.mask(message));
    seen.put(error, copy);
    copy.setStackTrace(error.getStackTrace());
    if (error.getCause() != null && error.getCause() != error) {
      copy.initCause(copy(error.getCause(), masker, seen));
    }
    for (Throwable suppressed : error.getSuppressed()) {
      copy.addSuppressed(copy(suppressed, masker, seen));
    }
    return copy;
  }

  /** The fully qualified class name of the exception the step threw. */
  public String originalClassName() {
    return originalClassName;
  }

  /** {@code <original class name>: <masked message>}, as {@link Throwable#toString()} writes the original. */
  @Override
  public String toString() {
    String message = getLocalizedMessage();
    return message == null ? originalClassName : originalClassName + ": " + message;
  }
}
