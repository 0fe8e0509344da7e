package io.promokit.internal.container;

import io.promokit.expressions.SecretMasker;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last lines of one stream, enough for the last {@value #TAIL_CHARS} characters of the failure
 * message. It keeps raw lines plus room for the longest secret, masks the joined text as a whole (so a
 * secret spanning lines is masked too), and cuts after masking.
 */
final class OutputTail {

  /** How much of each stream ends a failure message (16 KiB of characters). */
  static final int TAIL_CHARS = 16 * 1024;

  private final Deque<String> lines = new ArrayDeque<>();
  private final SecretMasker masker;
  private long chars;
  private boolean dropped;

  OutputTail(SecretMasker masker) {
    this.masker = masker;
  }

  synchronized void add(String line) {
    lines.addLast(line);
    chars += line.length() + 1;
    long keep = TAIL_CHARS + masker.longestSecretLength() + 1;
    while (lines.size() > 1 && chars - (lines.peekFirst().length() + 1) >= keep) {
      chars -= lines.removeFirst().length() + 1;
      dropped = true;
    }
  }

  synchronized boolean isEmpty() {
    return lines.isEmpty();
  }

  /** The masked tail, at most {@value #TAIL_CHARS} characters; whether it was cut is {@link #cut()}. */
  synchronized String text() {
    String masked = masker.mask(String.join("\n", lines));
    return masked.length() <= TAIL_CHARS ? masked : masked.substring(masked.length() - TAIL_CHARS);
  }

  /** Whether earlier output was left out. */
  synchronized boolean cut() {
    return dropped || masker.mask(String.join("\n", lines)).length() > TAIL_CHARS;
  }
}
