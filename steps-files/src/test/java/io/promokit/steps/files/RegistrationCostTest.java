package io.promokit.steps.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.RegisteredStep;
import io.promokit.testkit.FreshClassLoading;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Registering the file steps is what every {@code promokit} command does, {@code validate} and {@code steps}
 * too: it must not read or compile their schemas or make the Jackson mappers the steps use when they run
 * (issue 20: a first mapper costs a cold JVM tens of milliseconds).
 */
class RegistrationCostTest {

  /** Registers the steps; run in a fresh class loader. */
  public static final class Register implements Runnable {
    @Override
    public void run() {
      List<RegisteredStep> steps = FileSteps.create().steps();
      assertThat(steps).extracting(RegisteredStep::name).contains("toml-parse", "toml-update", "yaml-merge");
    }
  }

  @Test
  void registrationMakesNoMapperAndReadsNoSchema() {
    try (FreshClassLoading fresh = FreshClassLoading.create()) {
      fresh.run(Register.class);

      assertThat(fresh.loaded(FileSteps.class.getName())).isTrue();
      assertThat(fresh.loaded("com.fasterxml.jackson.databind.ObjectMapper")).isFalse();
      assertThat(fresh.loaded("com.fasterxml.jackson.dataformat.toml.TomlMapper")).isFalse();
      assertThat(fresh.loaded("io.promokit.internal.JsonSchemaChecker")).isFalse();
      assertThat(fresh.loaded("com.networknt.schema.SchemaRegistry")).isFalse();
    }
  }
}
