package io.promokit.spi;

import java.util.List;

/**
 * Where a family of steps (or the engine) leaves things a crash does not clean up: scratch folders, helper
 * processes. A reap asks each source what the selector covers and removes it. Folders owned by a process id
 * are covered only once that process is dead, whatever engine the selector names (they belong to no living
 * engine).
 */
public interface LeftoverSource {

  /** What the selector covers, oldest first or in any order; never something a living process still uses. */
  List<Leftover> find(ContainerSelector selector);

  /**
   * Removes one thing {@link #find} returned.
   *
   * @return false when it was gone already
   * @throws java.io.UncheckedIOException when it could not be removed
   */
  boolean remove(Leftover leftover);
}
