package io.promokit.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing a promotion left behind that a reap can remove: a container, Pod, local process, scratch folder or
 * engine-made working directory.
 *
 * @param kind what it is, for people: {@code docker container}, {@code kubernetes Pod}, {@code local process},
 *     {@code workdir}, {@code helm folder}, ...
 * @param name its name or path
 * @param engineId the engine that made it, or null when only its (dead) owning process is known
 * @param created when it was made
 */
public record Leftover(String kind, String name, String engineId, Instant created) {

  public Leftover {
    Objects.requireNonNull(kind, "kind must not be null");
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(created, "created must not be null");
  }

  /** The engine that made it, if known. */
  public Optional<String> engine() {
    return Optional.ofNullable(engineId);
  }

  /** Whether the selector covers it: its engine (when the selector names one and this one is known) and age. */
  public boolean matches(ContainerSelector selector) {
    return (selector.engineId().isEmpty() || engineId == null || selector.engineId().get().equals(engineId))
        && selector.createdBeforeMoment().map(created::isBefore).orElse(true);
  }

  @Override
  public String toString() {
    return kind + " " + name + (engineId == null ? "" : " (engine " + engineId + ")");
  }
}
