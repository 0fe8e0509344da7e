package io.promokit.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which of the containers (or Pods) labelled {@code app.kubernetes.io/managed-by=promokit} to list or reap:
 * all of them, those of one engine, and/or those made before a moment (a host that crashed long ago).
 * Immutable.
 *
 * <pre>{@code
 * runtime.list(ContainerSelector.all().createdBefore(clock.instant().minus(Duration.ofHours(6))));
 * runtime.reap(ContainerSelector.engine("engine-7f3a"));
 * }</pre>
 */
public final class ContainerSelector {

  private static final ContainerSelector ALL = new ContainerSelector(null, null);

  private final String engineId;
  private final Instant createdBefore;

  private ContainerSelector(String engineId, Instant createdBefore) {
    this.engineId = engineId;
    this.createdBefore = createdBefore;
  }

  /** Every promokit-labelled container. */
  public static ContainerSelector all() {
    return ALL;
  }

  /** The containers of one engine. */
  public static ContainerSelector engine(String engineId) {
    Objects.requireNonNull(engineId, "engineId must not be null");
    if (engineId.isBlank()) {
      throw new IllegalArgumentException("engineId must not be blank");
    }
    return new ContainerSelector(engineId, null);
  }

  /** These, restricted to the ones made before the moment. */
  public ContainerSelector createdBefore(Instant moment) {
    return new ContainerSelector(engineId, Objects.requireNonNull(moment, "moment must not be null"));
  }

  /** The engine id the containers must carry, if any. */
  public Optional<String> engineId() {
    return Optional.ofNullable(engineId);
  }

  /** The moment before which they must have been made, if any. */
  public Optional<Instant> createdBeforeMoment() {
    return Optional.ofNullable(createdBefore);
  }

  /** Whether a found container is one of these. */
  public boolean matches(ManagedContainer container) {
    return (engineId == null || engineId.equals(container.engineId().orElse(null)))
        && (createdBefore == null || container.created().isBefore(createdBefore));
  }

  @Override
  public String toString() {
    return "containers" + (engineId == null ? "" : " of engine " + engineId)
        + (createdBefore == null ? "" : " made before " + createdBefore);
  }
}
