package io.promokit.spi;

import java.util.Optional;

/**
 * The network a step's container gets: the one the host configured for its runtime, or none at all. A
 * definition asks for none with {@code network: none} (CUSTOM-STEPS.md, an addition of ours).
 */
public enum ContainerNetwork {
  /** The runtime's network, as the host configured it (Docker: the {@code bridge} network unless set). */
  DEFAULT("default"),
  /** No network but the loopback interface: the step reaches nothing and nothing reaches it. */
  NONE("none");

  private final String word;

  ContainerNetwork(String word) {
    this.word = word;
  }

  /** {@code default} or {@code none}, as a definition writes it. */
  public String word() {
    return word;
  }

  /** The network for a definition's word, or empty when it is neither. */
  public static Optional<ContainerNetwork> fromWord(String word) {
    for (ContainerNetwork n : values()) {
      if (n.word.equals(word)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }
}
