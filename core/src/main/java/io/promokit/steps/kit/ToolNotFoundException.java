package io.promokit.steps.kit;

import io.promokit.StepException;

/**
 * The program of a {@link ProcessSpec} is not on the command's PATH (or not an executable file): a terminal
 * error, since retrying will not install it. The message says what to install when the spec gives a hint:
 * {@code git not found on PATH: install git (Debian: apt-get install git)}. A step module may catch it to
 * fall back to another program ({@code kubectl kustomize} for {@code kustomize}).
 */
public final class ToolNotFoundException extends StepException {
  private static final long serialVersionUID = 1L;

  private final String program;

  ToolNotFoundException(String program, String message) {
    super(message, null, true, null);
    this.program = program;
  }

  /** The program that was looked for, as the argv named it. */
  public String program() {
    return program;
  }
}
