package io.promokit.spi;

/**
 * The content of a file read with a cap.
 *
 * @param content at most the cap's worth of bytes from the start of the file
 * @param size the file's whole size in bytes (may be larger than {@code content})
 */
public record CapturedFile(byte[] content, long size) {

  /** An empty file. */
  public static final CapturedFile EMPTY = new CapturedFile(new byte[0], 0);

  /** Whether the file was larger than what was read. */
  public boolean truncated() {
    return size > content.length;
  }
}
