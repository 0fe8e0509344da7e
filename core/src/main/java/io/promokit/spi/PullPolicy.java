package io.promokit.spi;

/** When a runtime pulls a step's image, as Kubernetes' {@code imagePullPolicy}. */
public enum PullPolicy {
  /** Pull every time. */
  ALWAYS("Always"),
  /** Pull only when the image is not present (the default). */
  IF_NOT_PRESENT("IfNotPresent"),
  /** Never pull; a missing image is a terminal error. */
  NEVER("Never");

  private final String word;

  PullPolicy(String word) {
    this.word = word;
  }

  /** {@code Always}, {@code IfNotPresent} or {@code Never}. */
  public String word() {
    return word;
  }

  /** The policy for a YAML word, or null when it is none of them. */
  public static PullPolicy fromWord(String word) {
    for (PullPolicy p : values()) {
      if (p.word.equals(word)) {
        return p;
      }
    }
    return null;
  }
}
