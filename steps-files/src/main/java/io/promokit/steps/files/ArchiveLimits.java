package io.promokit.steps.files;

/**
 * Bounds on what tar reads and untar writes, so that an archive cannot fill the disk or run forever (a
 * "decompression bomb"): each regular file at most {@code maxFileBytes}, all regular files together at most
 * {@code maxTotalBytes}, at most {@code maxEntries} entries. Kargo's limits are 50 MiB per file and 100 MiB in
 * all; the entry limit is promokit's own.
 */
record ArchiveLimits(long maxFileBytes, long maxTotalBytes, int maxEntries) {

  static final long MIB = 1024L * 1024;
  static final ArchiveLimits KARGO = new ArchiveLimits(50 * MIB, 100 * MIB, 100_000);

  /** What untar reads beyond the files' bytes: headers, long names and PAX records (bounded too). */
  static final long HEADER_ALLOWANCE = 64 * MIB;

  ArchiveLimits {
    if (maxFileBytes <= 0 || maxTotalBytes <= 0 || maxEntries <= 0) {
      throw new IllegalArgumentException("archive limits must be positive, but were maxFileBytes=" + maxFileBytes
          + ", maxTotalBytes=" + maxTotalBytes + ", maxEntries=" + maxEntries);
    }
  }

  /** The most bytes an uncompressed archive stream may hold. */
  long maxStreamBytes() {
    return maxTotalBytes + HEADER_ALLOWANCE;
  }
}
