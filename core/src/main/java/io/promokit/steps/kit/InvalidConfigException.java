package io.promokit.steps.kit;

import io.promokit.StepException;

/**
 * A step's config breaks a rule: one its JSON Schema cannot say (two fields that exclude each other, a mode
 * that is not allowed), a value that does not fit the step's config type, or a path the working directory
 * refuses ({@link WorkdirPaths.RejectedPathException}). The message starts with the config path of the field
 * ({@code config.permissions: ...}).
 *
 * <p>Thrown from a step, it ends the step {@code Failed} (no retry) with the message
 * {@code invalid config: <message>}, exactly as a config that fails the step's schema does; the engine adds
 * {@code step "<alias>": } in front. It is a terminal {@link StepException}, so code that does not know it
 * still treats it as final.
 */
public class InvalidConfigException extends StepException {
  private static final long serialVersionUID = 1L;

  /**
   * A config problem.
   *
   * @param message starts with the config path, such as {@code config.path: must not be empty}
   */
  public InvalidConfigException(String message) {
    super(message, null, true, null);
  }

  /** A config problem with its cause. */
  public InvalidConfigException(String message, Throwable cause) {
    super(message, cause, true, null);
  }
}
