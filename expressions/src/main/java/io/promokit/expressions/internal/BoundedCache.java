package io.promokit.expressions.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A thread-safe cache holding at most {@code capacity} entries, without locks on reads. Entries live in two
 * generations of {@code capacity / 2}: new entries go to the young one; when it is full it becomes the old
 * one and the previous old generation is dropped. A hit in the old generation is promoted, so entries in
 * use survive. A capacity of 0 disables caching.
 */
final class BoundedCache<K, V> {

  private final int generationSize;
  private volatile ConcurrentHashMap<K, V> young;
  private volatile ConcurrentHashMap<K, V> old;

  BoundedCache(int capacity) {
    this.generationSize = capacity <= 0 ? 0 : Math.max(1, capacity / 2);
    this.young = new ConcurrentHashMap<>();
    this.old = new ConcurrentHashMap<>();
  }

  V get(K key, Function<K, V> compute) {
    if (generationSize == 0) {
      return compute.apply(key);
    }
    V v = young.get(key);
    if (v != null) {
      return v;
    }
    v = old.get(key);
    if (v == null) {
      v = compute.apply(key);
    }
    put(key, v);
    return v;
  }

  private void put(K key, V value) {
    ConcurrentHashMap<K, V> y = young;
    if (y.size() >= generationSize) {
      synchronized (this) {
        if (young == y) {
          old = y;
          young = new ConcurrentHashMap<>();
        }
        y = young;
      }
    }
    y.put(key, value);
  }

  /** Number of entries held (for tests); never more than the capacity (plus a few racing puts). */
  int size() {
    return young.size() + old.size();
  }
}
