package io.promokit.records;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the record keeps about a container step's last attempt: the image, the runtime, the exit code,
 * whether it was killed for memory, and how long each phase took.
 *
 * @param image the image as requested
 * @param runtime the runtime's name ({@code docker}, {@code kubernetes}, {@code local})
 * @param exitCode the exit code, or null when the container never exited (pull error, timeout, abort)
 * @param oomKilled whether it was killed for exceeding its memory limit
 * @param containerId the runtime's id for it (container id, Pod name, process id), or null
 * @param phasesMs milliseconds per phase, in order ({@code pull}, {@code create}, {@code start},
 *     {@code run}, {@code cleanup}, as the runtime reports them)
 */
public record ContainerReport(
    String image, String runtime, @Nullable Integer exitCode, boolean oomKilled, @Nullable String containerId, Map<String, Long> phasesMs) {
  public ContainerReport {
    Objects.requireNonNull(image, "image must not be null");
    Objects.requireNonNull(runtime, "runtime must not be null");
    phasesMs = phasesMs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(phasesMs));
  }
}
