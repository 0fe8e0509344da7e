package io.promokit.spi;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a container ended.
 *
 * @param exitCode the command's exit code (137 when killed)
 * @param oomKilled whether it was killed for exceeding its memory limit
 * @param reason the runtime's word for the end ({@code Completed}, {@code Error}, {@code OOMKilled},
 *     {@code Killed}), or empty
 * @param phases how long each phase took, in order: {@code pull}, {@code create}, {@code start},
 *     {@code run} (as far as the runtime can tell them apart)
 */
public record ContainerExit(int exitCode, boolean oomKilled, String reason, Map<String, Duration> phases) {
  public ContainerExit {
    reason = reason == null ? "" : reason;
    phases = phases == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(phases));
  }
}
