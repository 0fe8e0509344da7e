package io.promokit.cli;

/** A count with its noun in the right number, for the command's messages: "1 step", "2 steps", "0 warnings". */
final class Counted {

  private Counted() {}

  /** {@code n} and the noun, with an {@code s} unless {@code n} is 1 (the nouns used here take a plain s). */
  static String of(int n, String singular) {
    return n + " " + noun(n, singular);
  }

  /** The noun alone, in the number that goes with {@code n}. */
  static String noun(int n, String singular) {
    return n == 1 ? singular : singular + "s";
  }
}
