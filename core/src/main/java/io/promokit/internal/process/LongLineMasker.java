package io.promokit.internal.process;

import io.promokit.expressions.SecretMasker;

/**
 * Masks the secrets in one output stream on its way to the listener, including a secret that straddles
 * two pieces of a long line (runtimes cut lines longer than their limit into pieces, see
 * {@link io.promokit.spi.LogSink#partialLine}). Not thread-safe: one instance per stream, fed by the
 * runtime's thread for that stream.
 *
 * <p>For a piece, the end that may hold the start of a secret continuing in the next piece is held back
 * and put in front of the next piece. A secret that ends in the next piece starts in the last
 * {@code longest - 1} characters, so that much is held, moved further back when a secret that lies wholly
 * in the text seen so far crosses the cut (cutting there would show its first part unmasked). What is held
 * is at most {@code 2 * longest} characters, {@code longest} being the longest secret's length.
 */
public final class LongLineMasker {

  private final SecretMasker masker;
  private String held = "";

  public LongLineMasker(SecretMasker masker) {
    this.masker = masker;
  }

  /** Takes a piece of a line that goes on; returns the masked text that can be shown now (maybe empty). */
  public String piece(String text) {
    String seen = held + text;
    int longest = masker.longestSecretLength();
    int mayContinue = longest - 1;
    if (mayContinue <= 0) {
      held = "";
      return masker.mask(seen);
    }
    if (seen.length() <= mayContinue) {
      held = seen;
      return "";
    }
    String masked = masker.mask(seen);
    int lowest = Math.max(0, seen.length() - mayContinue - longest);
    for (int cut = seen.length() - mayContinue; cut >= lowest; cut--) {
      String rest = seen.substring(cut);
      String maskedRest = masker.mask(rest);
      // A clean cut masks both sides exactly as the whole is masked: no secret crosses it.
      if (masked.endsWith(maskedRest)) {
        String maskedHead = masked.substring(0, masked.length() - maskedRest.length());
        if (masker.mask(seen.substring(0, cut)).equals(maskedHead)) {
          held = rest;
          return maskedHead;
        }
      }
    }
    // Only secrets that overlap one another (or contain the mask's '*') over more than a secret's length
    // leave no clean cut; show what is known to be masked rather than grow without bound.
    held = "";
    return masked;
  }

  /** Takes the last piece of a line (or a whole line); returns the rest of the line, masked. */
  public String endOfLine(String text) {
    String seen = held.isEmpty() ? text : held + text;
    held = "";
    return masker.mask(seen);
  }

  /** Whether part of a line is held back (the stream ended in the middle of a line). */
  public boolean holdsText() {
    return !held.isEmpty();
  }
}
