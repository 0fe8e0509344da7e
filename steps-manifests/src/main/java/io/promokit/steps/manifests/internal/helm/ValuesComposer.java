package io.promokit.steps.manifests.internal.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Composes a chart's user values as Helm's {@code values.Options} does: values files deep-merged in order,
 * then the {@code --set} values, then the {@code --set-literal} values (always last, whatever the order in
 * the config). The result is handed to Helm as one values file.
 */
public final class ValuesComposer {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Map<String, Object> values = new LinkedHashMap<>();
  private final java.util.List<String> literals = new java.util.ArrayList<>();

  /**
   * Merges a values file over what is there.
   *
   * @param displayName how messages name the file (its path in the config)
   * @throws IllegalArgumentException when the file is not YAML or not a map
   */
  @SuppressWarnings("unchecked")
  public ValuesComposer file(Path file, String displayName) throws IOException {
    Object parsed;
    try {
      parsed = YAML.readValue(Files.readAllBytes(file), Object.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("values file \"" + displayName + "\" is not valid YAML: "
          + e.getOriginalMessage(), e);
    }
    if (parsed == null) {
      return this;
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("values file \"" + displayName + "\" does not hold a map of values");
    }
    merge(values, (Map<String, Object>) map);
    return this;
  }

  /**
   * Adds one {@code setValues} entry: typed ones apply now, literal ones after all others.
   *
   * @throws IllegalArgumentException when the key or value breaks Helm's {@code --set} syntax
   */
  public ValuesComposer set(String key, String value, boolean literal) {
    if (literal) {
      literals.add(key + "=" + value);
    } else {
      SetValues.applyTyped(key + "=" + value, values);
    }
    return this;
  }

  /** The composed values. */
  public Map<String, Object> compose() {
    literals.forEach(l -> SetValues.applyLiteral(l, values));
    literals.clear();
    return values;
  }

  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> base, Map<String, Object> over) {
    over.forEach((key, value) -> {
      if (value instanceof Map<?, ?> overMap && base.get(key) instanceof Map<?, ?> baseMap) {
        Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) baseMap);
        merge(merged, (Map<String, Object>) overMap);
        base.put(key, merged);
      } else {
        base.put(key, value);
      }
    });
  }
}
