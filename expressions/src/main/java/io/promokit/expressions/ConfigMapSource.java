package io.promokit.expressions;

import java.util.Map;

/** The host's plain configuration, answering {@code configMap(name)} and {@code sharedConfigMap(name)}. */
@FunctionalInterface
public interface ConfigMapSource {

  /** A source with no config maps: every lookup returns an empty map. */
  ConfigMapSource NONE = (name, scope) -> Map.of();

  /** Returns the config map's key/value pairs, or an empty map when there is none. */
  Map<String, String> find(String name, ResourceScope scope);
}
