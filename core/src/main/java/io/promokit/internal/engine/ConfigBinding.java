package io.promokit.internal.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.promokit.StepException;
import java.util.Map;

/** Binds a step's evaluated config to a type of the step's own (records or beans) with Jackson. */
final class ConfigBinding {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  private ConfigBinding() {}

  static <T> T bind(Map<String, Object> config, Class<T> type) {
    try {
      return MAPPER.convertValue(config, type);
    } catch (IllegalArgumentException e) {
      Throwable cause = e.getCause();
      if (cause instanceof JsonMappingException jme) {
        throw StepException.terminal("invalid config: " + path(jme) + ": " + jme.getOriginalMessage(), e);
      }
      throw StepException.terminal("invalid config: " + e.getMessage(), e);
    }
  }

  /** {@code config.apps[0].name} from Jackson's reference path. */
  static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder("config");
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      } else if (ref.getFieldName() != null) {
        sb.append('.').append(ref.getFieldName());
      }
    }
    return sb.toString();
  }
}
