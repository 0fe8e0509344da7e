package io.promokit.internal;

import java.util.List;
import java.util.Map;

/** Compiles and checks JSON Schemas for {@link io.promokit.ConfigSchema}. Placeholder. */
public final class JsonSchemaChecker {
  private JsonSchemaChecker() {}

  public static JsonSchemaChecker compile(Map<String, Object> schema) {
    return new JsonSchemaChecker();
  }

  public static Map<String, Object> parseSchemaText(String text) {
    throw new UnsupportedOperationException("not yet");
  }

  public static Map<String, Object> copySchema(Map<String, ?> schema) {
    throw new UnsupportedOperationException("not yet");
  }

  public static Map<String, Object> readResource(Class<?> anchor, String resource) {
    throw new UnsupportedOperationException("not yet");
  }

  public List<String> check(Object config, String rootPath) {
    throw new UnsupportedOperationException("not yet");
  }
}
