package io.promokit;

/** How a registered step runs. */
public enum StepKind {
  /** Shipped with promokit ({@code yaml-update}, {@code http}, ...). */
  BUILTIN("built-in"),
  /** A host's own {@link StepRuntime}. */
  IN_PROCESS("in-process"),
  /** A {@code CustomPromotionStep}: a container image run by a {@link io.promokit.spi.ContainerRuntime}. */
  CONTAINER("container");

  private final String label;

  StepKind(String label) {
    this.label = label;
  }

  /** {@code built-in}, {@code in-process} or {@code container}, as {@code promokit steps} prints it. */
  public String label() {
    return label;
  }
}
