package io.promokit.internal.process;

import io.promokit.expressions.SecretMasker;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last lines of one stream, enough for the last {@value #TAIL_CHARS} characters of the failure
 * message. It keeps raw text plus room for the longest secret, masks the joined text as a whole (so a
 * secret spanning lines, or the pieces of a long line, is masked too), and cuts after masking.
 */
public final class OutputTail {

  /** How much of each stream ends a failure message (16 KiB of characters). */
  public static final int TAIL_CHARS = 16 * 1024;

  /** A line, or a piece of a long line that the next segment continues. */
  private record Segment(String text, boolean endsLine) {
    int length() {
      return text.length() + (endsLine ? 1 : 0);
    }
  }

  private final Deque<Segment> segments = new ArrayDeque<>();
  private final SecretMasker masker;
  private long chars;
  private boolean dropped;

  public OutputTail(SecretMasker masker) {
    this.masker = masker;
  }

  /** Adds a whole line (or the last piece of one). */
  public synchronized void add(String line) {
    add(line, false);
  }

  /** Adds a line, or with {@code partial} a piece of a long line that the next call continues. */
  public synchronized void add(String text, boolean partial) {
    Segment segment = new Segment(text, !partial);
    segments.addLast(segment);
    chars += segment.length();
    long keep = TAIL_CHARS + masker.longestSecretLength() + 1;
    while (segments.size() > 1 && chars - segments.peekFirst().length() >= keep) {
      chars -= segments.removeFirst().length();
      dropped = true;
    }
  }

  public synchronized boolean isEmpty() {
    return segments.isEmpty();
  }

  /** The masked tail, at most {@value #TAIL_CHARS} characters; whether it was cut is {@link #cut()}. */
  public synchronized String text() {
    String masked = masker.mask(joined());
    return masked.length() <= TAIL_CHARS ? masked : masked.substring(masked.length() - TAIL_CHARS);
  }

  /** Whether earlier output was left out. */
  public synchronized boolean cut() {
    return dropped || masker.mask(joined()).length() > TAIL_CHARS;
  }

  /** The kept text: lines joined with {@code \n}, pieces of a line joined as they were. */
  private String joined() {
    StringBuilder sb = new StringBuilder();
    for (Segment segment : segments) {
      sb.append(segment.text());
      if (segment.endsLine()) {
        sb.append('\n');
      }
    }
    if (!segments.isEmpty() && segments.peekLast().endsLine()) {
      sb.setLength(sb.length() - 1);
    }
    return sb.toString();
  }
}
