package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.CustomStepDefinition;
import io.promokit.documents.DocumentSet;
import io.promokit.documents.PromotionDocuments;
import io.promokit.PromotionPhase;
import io.promokit.records.PromotionRecord;
import io.promokit.PromotionEngine;
import io.promokit.PromotionSequence;
import io.promokit.records.StepRecord;
import io.promokit.StepRegistry;
import io.promokit.StepStatus;
import io.promokit.event.LogLine;
import io.promokit.event.PromotionListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path for a container step on Docker: the seed's {@code sleep} definition and template from
 * {@code examples/}, loaded as the CLI loads them, run by {@link PromotionSequence} in real containers. Only
 * the image changes (the seed's {@code ubuntu} cannot be pulled here).
 */
@ExtendWith(RequiresDocker.class)
class SeedSleepPromotionTest {

  private static final Path EXAMPLES = Path.of("..", "examples", "custom-steps");

  @TempDir
  Path workdir;

  @BeforeAll
  static void needsDocker() {
    DockerTestEnvironment.require();
  }

  @Test
  void theSeedSleepTemplateRunsInContainersAndRecordsWhatRan() throws Exception {
    DocumentSet documents = PromotionDocuments.load(EXAMPLES.resolve("steps"))
        .merge(PromotionDocuments.load(EXAMPLES.resolve("sleep-template.yaml")));
    StepRegistry.Builder registry = StepRegistry.builder().withBuiltins();
    for (CustomStepDefinition step : documents.customSteps()) {
      registry.replace(step.toBuilder().image(DockerTestEnvironment.busyboxImage()).build());
    }
    List<LogLine> lines = new CopyOnWriteArrayList<>();
    String engineId = "seed-sleep-" + ProcessHandle.current().pid();

    PromotionRecord record;
    try (DockerContainerRuntime runtime = DockerContainerRuntime.create();
        PromotionEngine engine = PromotionEngine.builder()
            .registry(registry.build())
            .containerRuntime(runtime)
            .engineId(engineId)
            .build()) {
      record = engine.sequence(documents.singleTemplate(), documents.taskCatalog())
          .workdir(workdir)
          .listener(new PromotionListener() {
            @Override
            public void logLine(LogLine event) {
              lines.add(event);
            }
          })
          .build()
          .run();
    }

    assertThat(record.phase()).as(record.message()).isEqualTo(PromotionPhase.SUCCEEDED);
    StepRecord first = record.step("my-sleep-step").orElseThrow();
    assertThat(first.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(first.config()).isEqualTo(Map.of("sleepSeconds", 1L));
    assertThat(first.outputs()).isEqualTo(Map.of("slept", "1"));
    assertThat(first.container().runtime()).isEqualTo("docker");
    assertThat(first.container().image()).isEqualTo(DockerTestEnvironment.busyboxImage());
    assertThat(first.container().exitCode()).isZero();
    assertThat(first.container().containerId()).isNotBlank();
    assertThat(first.container().phasesMs()).containsKeys("create", "start", "run", "cleanup");
    assertThat(record.step("short-sleep").map(StepRecord::outputs)).contains(Map.of("slept", "1"));
    assertThat(DockerTestEnvironment.containersOf(engineId)).as("containers left behind").isEmpty();
    try (var files = Files.list(workdir)) {
      assertThat(files).as("the step writes only KARGO_OUTPUT, kept outside the workdir").isEmpty();
    }
    assertThat(lines).as("the step prints nothing").isEmpty();
  }
}
