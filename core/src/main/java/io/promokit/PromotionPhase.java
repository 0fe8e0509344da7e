package io.promokit;

/** The phase of a whole promotion, with the words the record uses. */
public enum PromotionPhase {
  PENDING("Pending"),
  RUNNING("Running"),
  SUCCEEDED("Succeeded"),
  FAILED("Failed"),
  ERRORED("Errored"),
  ABORTED("Aborted");

  private final String word;

  PromotionPhase(String word) {
    this.word = word;
  }

  public String word() {
    return word;
  }

  /** Whether the promotion has ended. */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == ERRORED || this == ABORTED;
  }

  public static PromotionPhase fromWord(String word) {
    for (PromotionPhase p : values()) {
      if (p.word.equals(word)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown promotion phase \"" + word + "\"");
  }

  @Override
  public String toString() {
    return word;
  }
}
