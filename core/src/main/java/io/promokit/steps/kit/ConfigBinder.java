package io.promokit.steps.kit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.promokit.internal.ConfigPath;
import io.promokit.internal.JavaTimeJson;
import java.util.Map;
import java.util.Objects;

/**
 * Binds a step's evaluated config to a type of the step's own (a record or a bean), with Jackson. The one
 * binder of promokit: the engine's {@link io.promokit.StepContext#config(Class)}, the built-in steps, the
 * steps a {@link StepDefinition} types, and the testkit's {@code TestStepContext} all bind through it, so a
 * host's unit test binds exactly as a promotion does.
 *
 * <p>Rules: an unknown field is an error (a typo is not silently ignored); a missing field is null (or the
 * type's default for a primitive only when present: null for a primitive is an error); Jackson's usual
 * scalar coercions apply ({@code "2"} binds to an {@code int}); {@code java.time} types bind from their ISO
 * forms. Thread-safe.
 */
public final class ConfigBinder {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(JavaTimeJson.module())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  private ConfigBinder() {}

  /**
   * Binds {@code config} to {@code type}.
   *
   * @param config the evaluated config (JSON-like values)
   * @throws InvalidConfigException naming the field, such as
   *     {@code config.priority: Cannot deserialize value of type `int` from String "high": ...}
   */
  public static <T> T bind(Map<String, ?> config, Class<T> type) {
    Objects.requireNonNull(config, "config must not be null");
    Objects.requireNonNull(type, "type must not be null");
    try {
      return MAPPER.convertValue(config, type);
    } catch (IllegalArgumentException e) {
      if (e.getCause() instanceof JsonMappingException jme) {
        throw new InvalidConfigException(path(jme) + ": " + jme.getOriginalMessage(), e);
      }
      throw new InvalidConfigException("config: " + e.getMessage(), e);
    }
  }

  /** {@code config.apps[0].name} from Jackson's reference path. */
  private static String path(JsonMappingException e) {
    String path = "config";
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getIndex() >= 0) {
        path = ConfigPath.index(path, ref.getIndex());
      } else if (ref.getFieldName() != null) {
        path = ConfigPath.key(path, ref.getFieldName());
      }
    }
    return path;
  }
}
