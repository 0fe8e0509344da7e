package io.promokit.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.RegisteredStep;
import io.promokit.steps.argocd.ArgoCdSteps;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every {@code promokit} command registers all step modules with their defaults, {@code validate} and
 * {@code steps} too, which need only names and schemas: registration must stay cheap on a cold JVM (issue 20).
 * It reads and compiles no schema, makes no Jackson mapper and no Kubernetes client.
 */
class StepModuleRegistrationTest {

  /** Registers the five modules as the CLI does; run in a fresh class loader. */
  public static final class RegisterAll implements Runnable {
    @Override
    public void run() {
      List<RegisteredStep> steps = PromokitSteps.modules();
      assertThat(steps).extracting(RegisteredStep::name)
          .contains("git-clone", "helm-template", "toml-parse", "oci-download", "argocd-update");
    }
  }

  @Test
  void registeringEveryStepModuleReadsNoSchemaAndMakesNoMapperOrClient() {
    try (FreshClassLoading fresh = FreshClassLoading.create()) {
      fresh.run(RegisterAll.class);

      assertThat(fresh.loaded(ArgoCdSteps.class.getName())).as("the modules were loaded afresh").isTrue();
      assertThat(fresh.loaded("io.promokit.internal.JsonSchemaChecker")).as("a schema was read").isFalse();
      assertThat(fresh.loaded("com.networknt.schema.SchemaRegistry")).as("a schema was compiled").isFalse();
      assertThat(fresh.loaded("com.fasterxml.jackson.databind.ObjectMapper")).as("a Jackson mapper was made")
          .isFalse();
      assertThat(fresh.loaded("io.fabric8.kubernetes.client.KubernetesClient")).as("a Kubernetes client was made")
          .isFalse();
    }
  }
}
