package io.promokit.steps.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads at most a given number of bytes and fails, rather than ending quietly, when the source has more. */
final class BoundedInputStream extends FilterInputStream {

  /** The source had more bytes than allowed. */
  static final class LimitExceeded extends IOException {
    private static final long serialVersionUID = 1L;

    LimitExceeded(String message) {
      super(message);
    }
  }

  private final long limit;
  private final String what;
  private long count;

  BoundedInputStream(InputStream in, long limit, String what) {
    super(in);
    this.limit = limit;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      add(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      add(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    add(skipped);
    return skipped;
  }

  private void add(long n) throws LimitExceeded {
    count += n;
    if (count > limit) {
      throw new LimitExceeded(what + " is larger than " + limit + " bytes");
    }
  }

  long count() {
    return count;
  }
}
