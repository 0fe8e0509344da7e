package io.promokit.steps.manifests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.promokit.StepException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads a chart's {@code Chart.yaml} (or {@code Chart.lock}) as values. */
final class ChartYaml {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ChartYaml() {}

  static Map<String, Object> read(Path chartDir) {
    return readFile(chartDir.resolve("Chart.yaml"), true);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readFile(Path file, boolean required) {
    if (!Files.isRegularFile(file)) {
      if (required) {
        throw new StepException("failed to load chart: " + file.getParent().getFileName() + " has no " + file.getFileName());
      }
      return Map.of();
    }
    try {
      Object value = YAML.readValue(file.toFile(), Object.class);
      return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    } catch (IOException e) {
      throw new StepException("failed to load chart: " + file.getFileName() + " is not valid YAML: " + e.getMessage(), e);
    }
  }
}
