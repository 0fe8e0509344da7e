package io.promokit.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.RegisteredStep;
import io.promokit.StepKind;
import io.promokit.StepRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuiltinStepsTest {

  @Test
  void everyBuiltinIsRegisteredWithItsSchemaAndDescription() {
    List<RegisteredStep> steps = BuiltinSteps.all();

    assertThat(steps).extracting(RegisteredStep::name).containsExactly("compose-output", "copy", "delete", "fail",
        "file-write", "http", "json-parse", "json-update", "set-freight-alias", "set-metadata", "sleep", "yaml-parse",
        "yaml-update");
    assertThat(steps).allSatisfy(step -> {
      assertThat(step.kind()).isEqualTo(StepKind.BUILTIN);
      assertThat(step).isInstanceOf(RegisteredStep.Builtin.class);
      assertThat(step.options().configSchema()).isPresent();
      assertThat(step.options().description()).isNotBlank();
      assertThat(step.options().configSchema().get().asMap()).containsEntry("title", step.name());
    });
  }

  @Test
  void registryWithBuiltinsFindsThem() {
    StepRegistry registry = StepRegistry.builder().withBuiltins().build();

    assertThat(registry.find("yaml-update")).map(RegisteredStep::kind).contains(StepKind.BUILTIN);
    assertThat(registry.closestNames("yaml-updat", 1)).containsExactly("yaml-update");
  }

  @Test
  void schemasRejectWhatTheStepsWouldRejectBeforeTheyRun() {
    RegisteredStep copy = BuiltinSteps.all().stream().filter(s -> s.name().equals("copy")).findFirst().orElseThrow();

    assertThat(copy.options().configSchema().get().validate(Map.of("inPath", "a"), "config"))
        .containsExactly("config.outPath: is required");
  }

  @Test
  void eachCallGivesNewStepInstancesSoRegistriesShareNoClients() {
    assertThat(((RegisteredStep.Builtin) BuiltinSteps.all().get(5)).runtime())
        .isNotSameAs(((RegisteredStep.Builtin) BuiltinSteps.all().get(5)).runtime());
  }

  @Test
  void everySchemaPropertyIsDescribedForTheReferencePages() {
    for (RegisteredStep step : BuiltinSteps.all()) {
      Map<String, Object> schema = step.options().configSchema().get().asMap();
      StepReferenceRenderer.fields(schema).forEach(field ->
          assertThat(field.description()).as(step.name() + " " + field.name()).isNotBlank());
    }
  }
}
