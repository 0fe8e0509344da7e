package io.promokit.spi;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A container (or Pod) a runtime made, as {@link ContainerRuntime#list(ContainerSelector)} finds it by its
 * {@link ContainerLabels}: what {@code reap} would remove.
 *
 * @param id the runtime's name for it (the container or Pod name)
 * @param labels its labels (engine, promotion, step, definition, attempt, managed-by)
 * @param created when the runtime made it
 * @param running whether it still runs (or waits to run)
 */
public record ManagedContainer(String id, Map<String, String> labels, Instant created, boolean running) {

  public ManagedContainer {
    Objects.requireNonNull(id, "id must not be null");
    labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    Objects.requireNonNull(created, "created must not be null");
  }

  /** The engine that made it, if labelled. */
  public Optional<String> engineId() {
    return Optional.ofNullable(labels.get(ContainerLabels.ENGINE));
  }

  /** The promotion it ran for, if labelled. */
  public Optional<String> promotion() {
    return Optional.ofNullable(labels.get(ContainerLabels.PROMOTION));
  }

  /** The step alias it ran for, if labelled. */
  public Optional<String> step() {
    return Optional.ofNullable(labels.get(ContainerLabels.STEP));
  }
}
