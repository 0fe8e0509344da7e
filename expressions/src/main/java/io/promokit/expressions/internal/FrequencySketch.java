package io.promokit.expressions.internal;

/**
 * An approximate count of how often each key was seen recently (a count-min sketch of four rows of 4-bit
 * counters, TinyLFU style): the estimate is the smallest of the key's four counters, so it over-counts only
 * on collisions. Every {@code 10 × width} increments all counters are halved, so old popularity fades.
 * Unsynchronised on purpose: a lost update under a race only blurs an estimate.
 */
final class FrequencySketch {

  private static final int ROWS = 4;
  private static final int MAX_COUNT = 15;
  private static final int[] SEEDS = {0x9E3779B9, 0x85EBCA6B, 0xC2B2AE35, 0x27D4EB2F};

  private final byte[] counters;
  private final int mask;
  private final int resetAfter;
  private int additions;

  /** A sketch sized for about {@code expectedKeys} distinct keys. */
  FrequencySketch(int expectedKeys) {
    this(expectedKeys, 0);
  }

  /** A sketch that halves its counters every {@code resetAfter} increments (0: ten times its width). */
  FrequencySketch(int expectedKeys, int resetAfter) {
    int width = Integer.highestOneBit(Math.max(16, Math.min(expectedKeys, 1 << 24)) - 1) << 1;
    this.counters = new byte[ROWS * width];
    this.mask = width - 1;
    this.resetAfter = resetAfter > 0 ? resetAfter : 10 * width;
  }

  /** Counts one access to the key with this hash. */
  void increment(int hash) {
    boolean added = false;
    for (int row = 0; row < ROWS; row++) {
      int i = index(hash, row);
      if (counters[i] < MAX_COUNT) {
        counters[i]++;
        added = true;
      }
    }
    if (added && ++additions >= resetAfter) {
      halve();
    }
  }

  /** The estimated recent access count of the key with this hash (0 to 15). */
  int frequency(int hash) {
    int min = MAX_COUNT;
    for (int row = 0; row < ROWS; row++) {
      min = Math.min(min, counters[index(hash, row)]);
    }
    return min;
  }

  private int index(int hash, int row) {
    int h = (hash ^ (hash >>> 16)) * SEEDS[row];
    h ^= h >>> 15;
    return row * (mask + 1) + (h & mask);
  }

  private void halve() {
    additions = 0;
    for (int i = 0; i < counters.length; i++) {
      counters[i] = (byte) (counters[i] >> 1);
    }
  }
}
