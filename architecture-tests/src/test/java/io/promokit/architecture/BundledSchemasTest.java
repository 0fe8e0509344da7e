package io.promokit.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.promokit.RegisteredStep;
import io.promokit.internal.JsonSchemaChecker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * promokit's own step schemas are not checked against the JSON Schema meta-schema at run time (loading it was
 * the largest part of a cold {@code promokit validate}): this is where each of them is, for every step of core
 * and of the five step modules.
 */
class BundledSchemasTest {

  @Test
  void everyStepSchemaOfPromokitIsAValidJsonSchema() {
    List<String> checked = new ArrayList<>();
    for (RegisteredStep step : PromokitSteps.all()) {
      step.options().configSchema().ifPresent(schema -> {
        assertThatCode(() -> JsonSchemaChecker.compile(schema.asMap(), true)).as(step.name()).doesNotThrowAnyException();
        checked.add(step.name());
      });
    }
    assertThat(checked).as("steps with a schema").hasSizeGreaterThanOrEqualTo(30).contains("git-clone", "helm-template",
        "toml-parse", "oci-push", "argocd-update", "http");
  }
}
