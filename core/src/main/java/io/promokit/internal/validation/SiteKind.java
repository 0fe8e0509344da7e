package io.promokit.internal.validation;

/** Where a template string sits, which decides what its expressions may see (SEMANTICS.md section 5). */
public enum SiteKind {
  /** A global var: sees {@code ctx} and the vars before it. */
  GLOBAL_VAR,
  /** A step var: also sees {@code outputs} and {@code task}, not the status functions. */
  STEP_VAR,
  /** A step's {@code if}: sees everything, status functions included. */
  CONDITION,
  /** A value of a step's config: sees everything, status functions included. */
  CONFIG;

  /** Whether the status functions ({@code success()}, {@code failure()}, ...) may be called here. */
  public boolean allowsStatusFunctions() {
    return this == CONDITION || this == CONFIG;
  }

  /** Whether {@code outputs} and {@code task} are defined here. */
  public boolean seesOutputs() {
    return this != GLOBAL_VAR;
  }
}
