package io.promokit.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a capability gives a container: env variables and read-only files. An env value may refer to a
 * granted file as {@code $(PROMOKIT_FILES)/name}; for example a {@code kubeconfig} capability grants the
 * file {@code kubeconfig} and {@code KUBECONFIG=$(PROMOKIT_FILES)/kubeconfig}. Env values are treated as
 * secrets (masked in every output).
 */
public record CapabilityGrant(Map<String, String> env, List<ContainerFile> files) {
  public CapabilityGrant {
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    files = files == null ? List.of() : List.copyOf(files);
  }
}
