package io.promokit.steps.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.RegisteredStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every manifest step has a page in docs/steps that starts with its description and names every config field. */
class StepPagesTest {

  private static final Path DOCS = Path.of(System.getProperty("user.dir")).resolve("../docs/steps").normalize();

  @Test
  @SuppressWarnings("unchecked")
  void everyStepHasAPageNamingItsFields() throws Exception {
    try (ManifestSteps steps = ManifestSteps.create()) {
      String index = Files.readString(DOCS.resolve("README.md"));
      for (RegisteredStep step : steps.steps()) {
        String page = Files.readString(DOCS.resolve(step.name() + ".md"));
        assertThat(page).startsWith("# `" + step.name() + "`\n\n" + step.options().description());
        Map<String, Object> properties = (Map<String, Object>) step.options().configSchema().orElseThrow().asMap()
            .get("properties");
        properties.keySet().forEach(field -> assertThat(page).as(step.name() + " documents " + field)
            .contains("| `" + field));
        assertThat(index).contains("[`" + step.name() + "`](" + step.name() + ".md)");
      }
    }
  }
}
