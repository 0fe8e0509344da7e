package io.promokit.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A step's {@code resources}: Kubernetes-style requests and limits ({@code memory}, {@code cpu}) as
 * quantity strings. Values are checked with {@link Quantity} when the definition is validated.
 */
public record ResourceRequirements(Map<String, String> requests, Map<String, String> limits) {

  public static final ResourceRequirements NONE = new ResourceRequirements(Map.of(), Map.of());

  public ResourceRequirements {
    requests = requests == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(requests));
    limits = limits == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(limits));
  }

  /** The memory limit in bytes, if set. */
  public Optional<Long> memoryLimitBytes() {
    return Optional.ofNullable(limits.get("memory")).map(Quantity::parseBytes);
  }

  /** The CPU limit in millicores, if set. */
  public Optional<Long> cpuLimitMillis() {
    return Optional.ofNullable(limits.get("cpu")).map(Quantity::parseMillicores);
  }

  /** The memory request in bytes, if set. */
  public Optional<Long> memoryRequestBytes() {
    return Optional.ofNullable(requests.get("memory")).map(Quantity::parseBytes);
  }

  /** The CPU request in millicores, if set. */
  public Optional<Long> cpuRequestMillis() {
    return Optional.ofNullable(requests.get("cpu")).map(Quantity::parseMillicores);
  }
}
