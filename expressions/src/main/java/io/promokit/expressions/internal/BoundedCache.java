package io.promokit.expressions.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A thread-safe cache bounded by entry count and by total weight (the characters of its keys, by default),
 * without locks on reads. Frequency decides what stays:
 *
 * <ul>
 *   <li>Eviction is a generalised CLOCK: each entry counts its hits (up to {@value #MAX_HITS}); the clock hand
 *       lowers counts as it passes and evicts the first entry at zero, so entries in use survive one-time
 *       ones.
 *   <li>Admission, once the cache is full, follows TinyLFU: a {@link FrequencySketch} of recent accesses
 *       (hits and misses) decides whether a new entry is used more often than the entry it would evict; if
 *       not, the new value is returned uncached. A working set larger than the cache then keeps a stable part
 *       cached instead of thrashing, as a plain LRU does on a cyclic sweep.
 * </ul>
 *
 * A capacity of 0 disables caching.
 */
final class BoundedCache<K, V> {

  /** Highest hit count of an entry: how many clock passes a hot entry survives without use. */
  static final int MAX_HITS = 3;

  private final int capacity;
  private final long maxWeight;
  private final ToIntFunction<K> weigher;
  private final ConcurrentHashMap<K, Entry<K, V>> map = new ConcurrentHashMap<>();
  /** The clock: slots of entries; null slots are free. Guarded by this. */
  private Entry<K, V>[] ring;
  private int hand;
  private int used;
  private long weight;
  /** Null when caching is disabled. */
  private final FrequencySketch sketch;

  /** A cache of at most {@code capacity} entries, with no weight bound. */
  BoundedCache(int capacity) {
    this(capacity, Long.MAX_VALUE, k -> 1);
  }

  /**
   * A cache of at most {@code capacity} entries whose weights (by {@code weigher}) sum to at most {@code
   * maxWeight}; an entry heavier than {@code maxWeight} alone is never cached.
   */
  @SuppressWarnings("unchecked")
  BoundedCache(int capacity, long maxWeight, ToIntFunction<K> weigher) {
    this.capacity = Math.max(0, capacity);
    this.maxWeight = maxWeight;
    this.weigher = weigher;
    this.ring = (Entry<K, V>[]) new Entry<?, ?>[Math.min(this.capacity, 64)];
    this.sketch = this.capacity == 0 ? null : new FrequencySketch(2 * this.capacity);
  }

  private static final class Entry<K, V> {
    final K key;
    final V value;
    final int weight;
    /** Racy on purpose: a lost increment only makes the entry look a little colder. */
    int hits;
    int slot;

    Entry(K key, V value, int weight) {
      this.key = key;
      this.value = value;
      this.weight = weight;
    }
  }

  V get(K key, Function<K, V> compute) {
    if (capacity == 0) {
      return compute.apply(key);
    }
    sketch.increment(key.hashCode());
    Entry<K, V> e = map.get(key);
    if (e != null) {
      if (e.hits < MAX_HITS) {
        e.hits++;
      }
      return e.value;
    }
    V v = compute.apply(key);
    int w = weigher.applyAsInt(key);
    if (w <= maxWeight) {
      put(key, v, w);
    }
    return v;
  }

  private synchronized void put(K key, V value, int w) {
    if (map.containsKey(key)) {
      return;
    }
    while (used >= capacity || weight + w > maxWeight) {
      Entry<K, V> victim = nextVictim();
      if (sketch.frequency(key.hashCode()) <= sketch.frequency(victim.key.hashCode())) {
        return;
      }
      remove(victim);
    }
    Entry<K, V> e = new Entry<>(key, value, w);
    e.slot = freeSlot();
    ring[e.slot] = e;
    used++;
    weight += w;
    map.put(key, e);
  }

  /** Moves the hand, lowering hit counts, to the first entry with none left. */
  private Entry<K, V> nextVictim() {
    while (true) {
      hand = hand + 1 >= ring.length ? 0 : hand + 1;
      Entry<K, V> e = ring[hand];
      if (e == null) {
        continue;
      }
      if (e.hits <= 0) {
        return e;
      }
      e.hits--;
    }
  }

  private void remove(Entry<K, V> e) {
    map.remove(e.key, e);
    ring[e.slot] = null;
    used--;
    weight -= e.weight;
  }

  private int freeSlot() {
    if (used < ring.length) {
      for (int i = 0; i < ring.length; i++) {
        int slot = (hand + i) % ring.length;
        if (ring[slot] == null) {
          return slot;
        }
      }
    }
    int slot = ring.length;
    ring = java.util.Arrays.copyOf(ring, Math.min(capacity, Math.max(slot + 1, slot * 2)));
    return slot;
  }

  /** Number of entries held; never more than the capacity. */
  int size() {
    return map.size();
  }

  /** Total weight of the entries held. */
  synchronized long weight() {
    return weight;
  }
}
