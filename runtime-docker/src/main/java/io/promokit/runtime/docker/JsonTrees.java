package io.promokit.runtime.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads the JSON this module meets (the daemon's error bodies, credential helpers' answers, Docker's
 * {@code config.json}) as trees: the module's one Jackson set-up, configured once and never handed out.
 */
final class JsonTrees {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonTrees() {}

  static JsonNode read(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }

  static JsonNode read(Path file) throws IOException {
    return MAPPER.readTree(file.toFile());
  }
}
