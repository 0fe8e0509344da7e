package io.promokit.engine;

import static io.promokit.engine.TestSteps.plan;
import static io.promokit.engine.TestSteps.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.records.PromotionRecord;
import io.promokit.PromotionEngine;
import io.promokit.RegisteredStep;
import io.promokit.StepKind;
import io.promokit.records.StepRecord;
import io.promokit.StepRegistry;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.steps.kit.AtomicFiles;
import io.promokit.steps.kit.InvalidConfigException;
import io.promokit.steps.kit.StepDefinition;
import io.promokit.steps.kit.WorkdirPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A step module's steps, defined with the kit and registered next to the built-ins. */
class StepDefinitionTest {

  record GreetConfig(String name, String path, Boolean shout) {}

  @TempDir Path workdir;

  /** A small step module: one typed step with a schema from its own resources. */
  private static List<RegisteredStep> greetingSteps() {
    return List.of(StepDefinition.builder("greet")
        .schemaResource(StepDefinition.class, "schemas/greet.json")
        .defaultTimeout(Duration.ofMinutes(1))
        .run(GreetConfig.class, (ctx, config) -> {
          if (config.name().contains("/")) {
            throw new InvalidConfigException("config.name: must not hold a '/', but was \"" + config.name() + "\"");
          }
          Path file = WorkdirPaths.resolve(ctx.workdir(), config.path(), WorkdirPaths.Access.WRITE, "config.path");
          String text = "hello " + config.name();
          AtomicFiles.writeString(file, Boolean.TRUE.equals(config.shout()) ? text.toUpperCase(Locale.ROOT) : text);
          return StepResult.succeeded(Map.of("greeted", config.name()));
        })
        .build());
  }

  private StepRecord run(TestSteps.StepBuilder greet) {
    StepRegistry registry = StepRegistry.builder().withBuiltins().register(greetingSteps()).build();
    PromotionRecord record;
    try (PromotionEngine engine = PromotionEngine.builder().registry(registry).build()) {
      record = engine.sequence(plan().step(greet.as("g")).build()).workdir(workdir).build().run();
    }
    return record.step("g").orElseThrow();
  }

  @Test
  void aDefinedStepRunsWithItsConfigBoundToItsOwnType() throws IOException {
    StepRecord greeted = run(step("greet").config("name", "${{ 'world' }}").config("path", "out/hello.txt")
        .config("shout", true));

    assertThat(greeted.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(greeted.outputs()).isEqualTo(Map.of("greeted", "world"));
    assertThat(Files.readString(workdir.resolve("out/hello.txt"))).isEqualTo("HELLO WORLD");
  }

  @Test
  void theEngineChecksTheSchemaOnceAndTheStepFailsNamingTheField() {
    StepRecord invalid = run(step("greet").config("path", "x.txt").config("shout", "yes"));

    assertThat(invalid.status()).isEqualTo(StepStatus.FAILED);
    assertThat(invalid.attempts()).isZero();
    assertThat(invalid.message()).isEqualTo(
        "step \"g\": invalid config: config.shout: must be a boolean, but was a string; config.name: is required");
  }

  @Test
  void aRuleOfTheStepsOwnAndARefusedPathFailTheStepAsInvalidConfig() {
    StepRecord slash = run(step("greet").config("name", "a/b").config("path", "x.txt"));
    StepRecord escape = run(step("greet").config("name", "b").config("path", "../x.txt"));

    assertThat(slash.status()).isEqualTo(StepStatus.FAILED);
    assertThat(slash.message()).isEqualTo("step \"g\": invalid config: config.name: must not hold a '/', but was \"a/b\"");
    assertThat(escape.status()).isEqualTo(StepStatus.FAILED);
    assertThat(escape.message())
        .isEqualTo("step \"g\": invalid config: config.path: \"../x.txt\" climbs out of the working directory");
    assertThat(workdir.resolveSibling("x.txt")).doesNotExist();
  }

  @Test
  void theRegistrationCarriesTheSchemaTheDescriptionAndTheDefaults() {
    RegisteredStep greet = greetingSteps().get(0);

    assertThat(greet.kind()).isEqualTo(StepKind.BUILTIN);
    assertThat(greet.options().description()).isEqualTo("Writes a greeting to a file.");
    assertThat(greet.options().defaultTimeout()).contains(Duration.ofMinutes(1));
    assertThat(greet.options().configSchema()).isPresent();
  }

  @Test
  void aFamilyRegistersBesideTheBuiltinsAndANameClashIsRefused() {
    StepRegistry registry = StepRegistry.builder().withBuiltins().register(greetingSteps()).build();

    assertThat(registry.find("greet")).isPresent();
    assertThat(registry.find("yaml-update")).isPresent();
    assertThatThrownBy(() -> StepRegistry.builder().register(greetingSteps()).register(greetingSteps()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a step named \"greet\" is already registered (built-in); register with replace to override it");
  }

  @Test
  void badDefinitionsSayWhatIsWrong() {
    assertThatThrownBy(() -> StepDefinition.builder("Greet").run(ctx -> StepResult.succeeded()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("step name must match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ (lower-case letters, digits and dashes), "
            + "but was \"Greet\"");
    assertThatThrownBy(() -> StepDefinition.builder("greet").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("step \"greet\" needs a runtime (Builder.run)");
    // A host's resource is looked up at once (promokit's own are checked by the build: ConfigSchemaTest).
    assertThatThrownBy(() -> StepDefinition.builder("greet")
        .schemaResource(org.example.hoststeps.HostAnchor.class, "nope.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("config schema resource \"nope.json\" not found next to org.example.hoststeps.HostAnchor");
  }
}
