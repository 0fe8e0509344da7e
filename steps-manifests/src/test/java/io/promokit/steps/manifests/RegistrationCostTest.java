package io.promokit.steps.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.RegisteredStep;
import io.promokit.testkit.FreshClassLoading;
import org.junit.jupiter.api.Test;

/**
 * Registering the manifest steps is what every {@code promokit} command does, {@code validate} and
 * {@code steps} too: it must not read or compile their schemas, make the Jackson mapper {@code helm-template}
 * writes values with, or start anything of Helm (issue 20: a first mapper costs a cold JVM tens of
 * milliseconds).
 */
class RegistrationCostTest {

  /** Registers the steps and closes the module; run in a fresh class loader. */
  public static final class Register implements Runnable {
    @Override
    public void run() {
      try (ManifestSteps manifests = ManifestSteps.create()) {
        assertThat(manifests.steps()).extracting(RegisteredStep::name)
            .containsExactly("kustomize-set-image", "kustomize-build", "helm-template", "helm-update-chart");
      }
    }
  }

  @Test
  void registrationMakesNoMapperAndReadsNoSchema() {
    try (FreshClassLoading fresh = FreshClassLoading.create()) {
      fresh.run(Register.class);

      assertThat(fresh.loaded(HelmTemplateStep.class.getName())).isTrue();
      assertThat(fresh.loaded("com.fasterxml.jackson.databind.ObjectMapper")).isFalse();
      assertThat(fresh.loaded("io.promokit.internal.JsonSchemaChecker")).isFalse();
      assertThat(fresh.loaded("com.networknt.schema.SchemaRegistry")).isFalse();
    }
  }
}
