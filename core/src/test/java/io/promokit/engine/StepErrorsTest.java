package io.promokit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.PromotionContext;
import io.promokit.documents.PromotionDocuments;
import io.promokit.PromotionEngine;
import io.promokit.records.PromotionRecord;
import io.promokit.StepException;
import io.promokit.StepRegistry;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.event.LogStream;
import io.promokit.event.PromotionListener;
import io.promokit.event.Slf4jPromotionListener;
import io.promokit.event.StepError;
import io.promokit.event.StepFinished;
import io.promokit.expressions.SecretSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a step threw reaches the host: its stack trace in the log (WARN when unexpected, DEBUG for a
 * StepException), a masked copy on StepFinished; and the SLF4J listener sends the step's lines to the logs.
 * SLF4J here is slf4j-simple writing to System.err (src/test/resources/simplelogger.properties), which the
 * tests capture.
 */
class StepErrorsTest {

  private static final String SECRET = "s3cr3t-token-value";
  private static final String TEMPLATE = """
      steps:
      - uses: %s
        as: the-step
        config:
          token: ${{ secret('api').token }}
        retry:
          errorThreshold: 1
      """;

  @TempDir Path workdir;
  private final List<StepFinished> finished = new CopyOnWriteArrayList<>();
  private final PromotionListener recorder = new PromotionListener() {
    @Override
    public void stepFinished(StepFinished event) {
      finished.add(event);
    }
  };

  @Test
  void anUnexpectedExceptionIsLoggedAtWarnWithItsStackTraceAndCarriedOnStepFinished() {
    Captured<PromotionRecord> run = captureStderr(() -> run("npe", registryWith("npe", ctx -> {
      String token = String.valueOf(ctx.config().get("token"));
      throw new NullPointerException("no session for token " + token);
    })));

    assertThat(run.value.message()).isEqualTo("step \"the-step\" met error threshold of 1: "
        + "NullPointerException: no session for token ***");
    StepError error = finished.get(0).thrown().orElseThrow();
    assertThat(error.originalClassName()).isEqualTo("java.lang.NullPointerException");
    assertThat(error).hasMessage("no session for token ***");
    assertThat(error.getStackTrace()[0].getClassName()).startsWith(StepErrorsTest.class.getName());
    assertThat(run.stderr)
        .contains("WARN io.promokit.engine.steps - promotion \"promo-1\": step \"the-step\" attempt 1 threw an "
            + "unexpected exception")
        .contains("java.lang.NullPointerException: no session for token ***")
        .contains("\tat " + StepErrorsTest.class.getName() + ".lambda$")
        .doesNotContain(SECRET);
  }

  @Test
  void aStepExceptionIsLoggedAtDebugWithItsCause() {
    Captured<PromotionRecord> run = captureStderr(() -> run("refused", registryWith("refused", ctx -> {
      throw new StepException("the API refused " + ctx.config().get("token"),
          new IllegalStateException("HTTP 403 for " + ctx.config().get("token")));
    })));

    assertThat(run.value.step("the-step").orElseThrow().status()).isEqualTo(StepStatus.ERRORED);
    StepError error = finished.get(0).thrown().orElseThrow();
    assertThat(error.originalClassName()).isEqualTo(StepException.class.getName());
    assertThat(error.getCause()).hasMessage("HTTP 403 for ***");
    assertThat(((StepError) error.getCause()).originalClassName()).isEqualTo("java.lang.IllegalStateException");
    assertThat(run.stderr)
        .contains("DEBUG io.promokit.engine.steps - promotion \"promo-1\": step \"the-step\" attempt 1 failed")
        .contains("io.promokit.StepException: the API refused ***")
        .contains("Caused by: java.lang.IllegalStateException: HTTP 403 for ***")
        .doesNotContain("WARN io.promokit.engine.steps")
        .doesNotContain(SECRET);
  }

  @Test
  void aStepThatReturnsCarriesNoErrorAndLogsNothingFromTheEngine() {
    Captured<PromotionRecord> run = captureStderr(() -> run("fine", registryWith("fine",
        ctx -> StepResult.failed("nope"))));

    assertThat(run.value.step("the-step").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
    assertThat(finished).singleElement().satisfies(e -> assertThat(e.error()).isNull());
    assertThat(run.stderr).doesNotContain("io.promokit.engine.steps");
  }

  @Test
  void theSlf4jListenerSendsTheStepsLinesAndOutcomesToTheLogWithTheirAlias() {
    Captured<PromotionRecord> run = captureStderr(() -> run("chatty", registryWith("chatty", ctx -> {
      ctx.log().info("logging in with " + ctx.config().get("token"));
      ctx.log().line(LogStream.STDOUT, "compiled 3 files");
      ctx.log().line(LogStream.STDERR, "deprecated flag");
      return StepResult.failed("tests failed");
    }), Slf4jPromotionListener.create()));

    assertThat(run.value.step("the-step").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
    assertThat(run.stderr.lines().filter(l -> l.contains(Slf4jPromotionListener.DEFAULT_LOGGER))
        .map(l -> l.substring(l.indexOf(" - ") + 3)).toList()).containsExactly(
            "[promo-1] promotion started (1 steps)",
            "[promo-1/the-step] chatty attempt 1 started",
            "[promo-1/the-step] logging in with ***",
            "[promo-1/the-step] compiled 3 files",
            "[promo-1/the-step] deprecated flag",
            "[promo-1/the-step] chatty Failed: step \"the-step\": tests failed",
            "[promo-1] promotion Failed: step \"the-step\": tests failed");
    assertThat(run.stderr).contains("WARN " + Slf4jPromotionListener.DEFAULT_LOGGER + " - [promo-1/the-step] deprecated")
        .contains("INFO " + Slf4jPromotionListener.DEFAULT_LOGGER + " - [promo-1/the-step] compiled 3 files")
        .doesNotContain(SECRET);
  }

  private static StepRegistry registryWith(String name, io.promokit.StepRuntime step) {
    return StepRegistry.builder().register(name, step).build();
  }

  private PromotionRecord run(String uses, StepRegistry registry, PromotionListener... more) {
    SecretSource secrets = (name, scope) -> name.equals("api") ? Map.of("token", SECRET) : Map.of();
    PromotionEngine.Builder builder = PromotionEngine.builder().registry(registry).secrets(secrets).listener(recorder);
    for (PromotionListener listener : more) {
      builder.listener(listener);
    }
    try (PromotionEngine engine = builder.build()) {
      return engine.sequence(PromotionDocuments.parse(TEMPLATE.formatted(uses), "template.yaml").singleTemplate())
          .context(PromotionContext.builder().promotion("promo-1").build())
          .workdir(workdir)
          .build()
          .run();
    }
  }

  private record Captured<T>(T value, String stderr) {}

  /** Runs {@code action} with System.err captured (slf4j-simple looks System.err up on every line). */
  private static <T> Captured<T> captureStderr(Supplier<T> action) {
    PrintStream original = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    T value;
    try {
      value = action.get();
    } finally {
      System.setErr(original);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    original.print(text);
    return new Captured<>(value, text);
  }
}
