package io.promokit.engine;

import static io.promokit.engine.TestSteps.plan;
import static io.promokit.engine.TestSteps.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.CustomStepDefinition;
import io.promokit.documents.DocumentSet;
import io.promokit.PromotionContext;
import io.promokit.documents.PromotionDocuments;
import io.promokit.PromotionEngine;
import io.promokit.PromotionException;
import io.promokit.PromotionExecution;
import io.promokit.PromotionPhase;
import io.promokit.records.PromotionRecord;
import io.promokit.PromotionSequence;
import io.promokit.StepRegistry;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.validation.ValidationException;
import io.promokit.event.PromotionListener;
import io.promokit.event.StepStarted;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The long-lived engine and the promotions prepared from it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PromotionEngineTest {

  private final TestSteps steps = new TestSteps();
  private final List<PromotionEngine> engines = new ArrayList<>();

  @AfterEach
  void closeEngines() {
    engines.forEach(PromotionEngine::close);
  }

  private PromotionEngine engine(PromotionEngine.Builder builder) {
    PromotionEngine engine = builder.build();
    engines.add(engine);
    return engine;
  }

  private PromotionEngine engine() {
    return engine(PromotionEngine.builder().registry(steps.registry()));
  }

  private static DocumentSet documents(String yaml) {
    return PromotionDocuments.parse(yaml, "promotion.yaml");
  }

  @Test
  void theEngineIdIsMadeOnceAndStoredInTheRecordOfEveryPromotion() {
    PromotionEngine engine = engine();
    PromotionEngine other = engine();

    PromotionRecord first = engine.sequence(plan().step(step("ok").as("a")).build()).build().run();
    PromotionRecord second = engine.sequence(plan().step(step("ok").as("b")).build()).build().run();

    assertThat(engine.engineId()).matches("pk-[0-9a-f]{8}");
    assertThat(first.engineId()).isEqualTo(engine.engineId());
    assertThat(second.engineId()).isEqualTo(engine.engineId());
    assertThat(other.engineId()).isNotEqualTo(engine.engineId());
  }

  @Test
  void theHostsEngineIdIsUsedAndAMalformedOneIsRefused() {
    PromotionEngine engine = engine(PromotionEngine.builder().registry(steps.registry()).engineId("deployer-1"));

    assertThat(engine.sequence(plan().step(step("ok").as("a")).build()).build().run().engineId())
        .isEqualTo("deployer-1");
    assertThatThrownBy(() -> PromotionEngine.builder().engineId("-deployer"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("engineId must be a valid label value (letters, digits, '-', '_', '.', at most 63), but was \"-deployer\"");
    assertThatThrownBy(() -> PromotionEngine.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("registry must be set");
  }

  @Test
  void aPreparedPromotionIsValidatedWhenBuiltAndRunsAgainAndAgain() {
    PromotionEngine engine = engine();
    DocumentSet documents = documents("""
        vars:
          - name: unused
            value: x
        steps:
          - uses: ok
            as: a
        """);

    PromotionSequence sequence = engine.sequence(documents.singleTemplate()).build();
    PromotionRecord first = sequence.run();
    PromotionRecord second = sequence.run();

    assertThat(sequence.validation().warnings()).extracting(Object::toString)
        .containsExactly("promotion.yaml:2:5: warning: vars.unused: var \"unused\" is never used");
    assertThat(List.of(first.phase(), second.phase())).containsOnly(PromotionPhase.SUCCEEDED);
    assertThat(steps.count("a")).isEqualTo(2);
    assertThat(first.workdir()).isNotEqualTo(second.workdir());
    assertThatThrownBy(() -> engine.sequence(documents("""
            steps:
              - uses: okk
                as: a
            """).singleTemplate()).build())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("promotion.yaml:2:5: error: step \"a\": uses: unknown step \"okk\"; did you mean \"ok\"?");
  }

  @Test
  void varOverridesAreSeenByValidationAndByTaskInflation() {
    DocumentSet documents = documents("""
        steps:
          - task: {name: deploy}
            as: d
        ---
        apiVersion: kargo.akuity.io/v1alpha1
        kind: PromotionTask
        metadata: {name: deploy}
        spec:
          vars:
            - name: env
          steps:
            - uses: ok
              as: say
              config:
                env: ${{ vars.env }}
        """);
    PromotionEngine engine = engine();

    PromotionRecord record = engine.sequence(documents.singleTemplate(), documents.taskCatalog())
        .var("env", "prod").build().run();

    assertThat(record.step("d::say").orElseThrow().config()).containsEntry("env", "prod");
    assertThatThrownBy(() -> engine.sequence(documents.singleTemplate(), documents.taskCatalog()).build())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("missing value for variable \"env\" of task PromotionTask/deploy");
  }

  @Test
  void theEnginesListenersHearEveryPromotionBeforeThePromotionsOwn() {
    List<String> heard = new CopyOnWriteArrayList<>();
    PromotionEngine engine = engine(PromotionEngine.builder().registry(steps.registry())
        .listener(listener("engine", heard)));

    engine.sequence(plan().step(step("ok").as("a")).build()).listener(listener("first", heard)).build().run();
    engine.sequence(plan().step(step("ok").as("b")).build()).build().run();

    assertThat(heard).containsExactly("engine a", "first a", "engine b");
  }

  private static PromotionListener listener(String name, List<String> heard) {
    return new PromotionListener() {
      @Override
      public void stepStarted(StepStarted e) {
        heard.add(name + " " + e.alias());
      }
    };
  }

  @Test
  void aContainerStepNeedsTheEnginesContainerRuntime() {
    CustomStepDefinition check = CustomStepDefinition.builder("check").image("busybox")
        .command(List.of("true")).build();
    PromotionEngine engine = engine(PromotionEngine.builder().registry(StepRegistry.builder().register(check).build()));

    assertThatThrownBy(() -> engine.sequence(plan().step(step("check").as("c")).build()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("step \"c\" uses the container step \"check\", but the engine has no ContainerRuntime"
            + " (PromotionEngine.Builder.containerRuntime)");
  }

  @Test
  void aContainerStepDefinitionsOwnProblemIsReportedForEveryTemplateThatUsesIt() {
    CustomStepDefinition leaky = CustomStepDefinition.builder("leaky").image("busybox")
        .command(List.of("echo", "${{ secret('db').password }}")).build();
    PromotionEngine engine = engine(PromotionEngine.builder().registry(StepRegistry.builder().register(leaky).build()));

    for (String alias : List.of("first", "second")) {
      assertThatThrownBy(() -> engine.sequence(documents("steps:\n  - uses: leaky\n    as: " + alias + "\n")
              .singleTemplate()).build())
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("error: step \"" + alias + "\": command[1]: step \"leaky\" calls secret() in command[1]");
    }
  }

  @Test
  void closingAbortsWhatRunsAndRefusesNewRuns() throws Exception {
    PromotionEngine engine = engine();
    PromotionSequence sequence = engine.sequence(plan()
        .step(step("block").as("a"))
        .step(step("ok").as("b").when("${{ always() }}"))
        .build()).context(PromotionContext.builder().promotion("promo-close").build()).build();
    PromotionExecution execution = sequence.start();
    assertThat(steps.blocking.await(10, TimeUnit.SECONDS)).isTrue();

    engine.close();

    PromotionRecord record = execution.result().getNow(null);
    assertThat(record).as("close() waited for the promotion").isNotNull();
    assertThat(record.phase()).isEqualTo(PromotionPhase.ABORTED);
    assertThat(record.step("a").orElseThrow().status()).isEqualTo(StepStatus.ABORTED);
    assertThat(record.step("b").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(Path.of(record.workdir())).doesNotExist();
    assertThat(engine.isClosed()).isTrue();
    assertThatThrownBy(sequence::run)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("engine " + engine.engineId() + " is closed");
    assertThatThrownBy(() -> engine.sequence(plan().step(step("ok").as("a")).build()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("engine " + engine.engineId() + " is closed");
    engine.close(); // a second close does nothing
  }

  @Test
  void closingShutsDownTheEnginesOwnThreadsButNotTheHosts() throws Exception {
    ExecutorService hosts = Executors.newCachedThreadPool();
    List<String> threads = new CopyOnWriteArrayList<>();
    StepRegistry registry = StepRegistry.builder().register("where", ctx -> {
      threads.add(Thread.currentThread().getName());
      return StepResult.succeeded();
    }).build();
    PromotionEngine own = engine(PromotionEngine.builder().registry(registry).engineId("own-threads"));
    PromotionEngine withHosts = engine(PromotionEngine.builder().registry(registry).executor(hosts));
    try {
      own.sequence(plan().step(step("where").as("a")).build()).build().run();
      withHosts.sequence(plan().step(step("where").as("a")).build()).build().run();
      own.close();
      withHosts.close();

      assertThat(threads.get(0)).startsWith("promokit-step-own-threads-");
      assertThat(hosts.isShutdown()).isFalse();
    } finally {
      hosts.shutdownNow();
    }
  }

  @Test
  void closingClosesWhatTheHostHandedOverLastFirstAndReportsWhatFailed() {
    List<String> closed = new CopyOnWriteArrayList<>();
    AutoCloseable runtime = named("runtime", () -> closed.add("runtime"));
    AutoCloseable broken = named("cache", () -> {
      closed.add("cache");
      throw new IllegalStateException("disk full");
    });
    AutoCloseable module = named("module", () -> closed.add("module"));
    PromotionEngine engine = PromotionEngine.builder().registry(steps.registry()).engineId("e1")
        .closeOnClose(runtime).closeOnClose(broken).closeOnClose(module).build();

    assertThatThrownBy(engine::close)
        .isInstanceOf(PromotionException.class)
        .hasMessage("engine e1: closing cache failed: disk full");
    assertThat(closed).containsExactly("module", "cache", "runtime");
  }

  /** A resource that runs {@code onClose} when closed and calls itself {@code name}. */
  private record Named(String name, Runnable onClose) implements AutoCloseable {
    @Override
    public void close() {
      onClose.run();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static AutoCloseable named(String name, Runnable close) {
    return new Named(name, close);
  }
}
