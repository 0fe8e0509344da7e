package io.promokit.internal.container;

import io.promokit.records.ContainerReport;
import io.promokit.CustomStepDefinition;
import io.promokit.CustomStepDefinition.EnvVar;
import io.promokit.CustomStepDefinition.OutputSource;
import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepRuntime;
import io.promokit.event.LogStream;
import io.promokit.expressions.SecretMasker;
import io.promokit.internal.FileKind;
import io.promokit.internal.process.LongLineMasker;
import io.promokit.internal.process.OutputTail;
import io.promokit.spi.CapabilityGrant;
import io.promokit.spi.CapabilityProvider;
import io.promokit.spi.CapturedFile;
import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.LogSink;
import io.promokit.spi.PullSecretSource;
import io.promokit.spi.RegistryCredential;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Runs a {@link CustomStepDefinition} on a {@link ContainerRuntime}: one container per attempt
 * (CUSTOM-STEPS.md sections 2 to 5). One instance per engine and definition; thread-safe.
 *
 * <p>Per attempt (the engine has checked the config against the definition's {@code configSchema} already,
 * as for every step: {@link io.promokit.steps.kit.StepAttempt}): resolves {@code command} and {@code env} over {@code config}
 * and {@code ctx} (a missing config key, or a secret in {@code command}, is a terminal error before any
 * container starts); adds the {@code PROMOKIT_*} variables and the capabilities' env and files; starts
 * the container and streams every line, masked, to the step's log; stops it with the grace period when
 * the attempt is cancelled; maps the exit code to the step's outcome; captures the output; closes the
 * container whatever happened, and reports it.
 */
public final class ContainerStep implements StepRuntime {

  private static final Duration FOREVER = Duration.ofDays(3650);

  private final CustomStepDefinition definition;
  private final ContainerRuntime runtime;
  private final CapabilityProvider capabilities;
  private final PullSecretSource pullSecrets;
  private final String engineId;
  private final CommandTemplates templates;

  private ContainerStep(CustomStepDefinition definition, ContainerRuntime runtime, CapabilityProvider capabilities,
      PullSecretSource pullSecrets, String engineId) {
    this.definition = definition;
    this.runtime = runtime;
    this.capabilities = capabilities;
    this.pullSecrets = pullSecrets;
    this.engineId = engineId;
    this.templates = new CommandTemplates(definition);
  }

  /**
   * The step for a definition, bound to an engine's runtime, capability provider, pull-secret source and
   * engine id (which labels every container for {@link ContainerRuntime#reap(String)}).
   */
  public static ContainerStep create(CustomStepDefinition definition, ContainerRuntime runtime,
      CapabilityProvider capabilities, PullSecretSource pullSecrets, String engineId) {
    Objects.requireNonNull(definition, "definition must not be null");
    Objects.requireNonNull(runtime, "runtime must not be null");
    Objects.requireNonNull(capabilities, "capabilities must not be null (use CapabilityProvider.NONE)");
    Objects.requireNonNull(pullSecrets, "pullSecrets must not be null (use PullSecretSource.NONE)");
    Objects.requireNonNull(engineId, "engineId must not be null");
    if (engineId.isBlank()) {
      throw new IllegalArgumentException("engineId must not be blank");
    }
    return new ContainerStep(definition, runtime, capabilities, pullSecrets, engineId);
  }

  public CustomStepDefinition definition() {
    return definition;
  }

  @Override
  public StepResult execute(StepContext ctx) throws Exception {
    ContainerRequest request = buildRequest(ctx);
    if (ctx.isCancelled()) {
      throw new InterruptedException("the attempt was cancelled before the container started");
    }
    Attempt attempt = new Attempt(ctx, request);
    return attempt.run();
  }

  /** The request of this attempt; fails (terminal) before anything starts when the definition cannot be applied. */
  ContainerRequest buildRequest(StepContext ctx) {
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("config", ctx.config());
    variables.put("ctx", ctx.promotion().toExpressionMap(ctx.alias()));
    List<String> command = templates.command(ctx, variables);
    Map<String, CommandTemplates.EnvValue> env = new LinkedHashMap<>(templates.env(ctx, variables));

    List<io.promokit.spi.ContainerFile> files = new ArrayList<>();
    SecretMasker masker = ctx.masker();
    String promotion = ctx.promotion().promotion();
    for (String capability : definition.capabilities()) {
      if (!capabilities.names().contains(capability)) {
        throw StepException.terminal("step \"" + definition.name() + "\" needs capability \"" + capability
            + "\", which the host does not offer (offered: " + describe(capabilities.names()) + ")");
      }
      CapabilityGrant grant = capabilities.grant(capability, promotion, ctx.alias());
      grant.env().values().forEach(masker::register);
      // Whatever a capability grants is a credential: it never goes into the container's configuration.
      grant.env().forEach((name, value) -> {
        if (!CustomStepDefinition.ENV_NAME.matcher(name).matches()) {
          throw StepException.terminal("capability \"" + capability + "\" of step \"" + definition.name()
              + "\" grants the env variable \"" + name + "\", which is not a valid name (it must match "
              + CustomStepDefinition.ENV_NAME.pattern() + ")");
        }
        env.put(name, new CommandTemplates.EnvValue(value, true));
      });
      files.addAll(grant.files());
    }
    List<RegistryCredential> credentials = new ArrayList<>();
    for (String secretName : definition.imagePullSecrets()) {
      for (RegistryCredential credential : pullSecrets.credentials(secretName)) {
        masker.register(credential.password());
        masker.register(credential.identityToken());
        credentials.add(credential);
      }
    }
    Map<String, String> marks = new LinkedHashMap<>();
    marks.put("PROMOKIT_STEP_ALIAS", ctx.alias());
    marks.put("PROMOKIT_PROMOTION", promotion);
    marks.put("PROMOKIT_ATTEMPT", Integer.toString(ctx.attempt()));
    marks.put("PROMOKIT_STEP_KEY", ctx.stepKey());
    ctx.deadline().ifPresent(d ->
        marks.put("PROMOKIT_DEADLINE", DateTimeFormatter.ISO_INSTANT.format(d.truncatedTo(ChronoUnit.SECONDS))));
    marks.forEach((name, value) -> env.put(name, new CommandTemplates.EnvValue(value, false)));

    ContainerRequest.Builder request = ContainerRequest.builder()
        .name(ContainerNames.containerName(promotion, ctx.alias(), ctx.attempt()))
        .definition(definition.name())
        .image(definition.image())
        .pullPolicy(definition.imagePullPolicy())
        .command(command)
        .network(definition.network())
        .workdir(ctx.workdir())
        .user(definition.runAsUser())
        .resources(definition.resources())
        .label(ContainerLabels.ENGINE, ContainerNames.labelValue(engineId))
        .label(ContainerLabels.PROMOTION, ContainerNames.labelValue(promotion))
        .label(ContainerLabels.STEP, ContainerNames.labelValue(ctx.alias()))
        .label(ContainerLabels.DEFINITION, ContainerNames.labelValue(definition.name()))
        .label(ContainerLabels.ATTEMPT, Integer.toString(ctx.attempt()))
        .label(ContainerLabels.MANAGED_BY, ContainerLabels.MANAGED_BY_VALUE)
        .pullSecretNames(definition.imagePullSecrets())
        .pullCredentials(credentials)
        .gracePeriod(definition.gracePeriod());
    env.forEach((name, value) -> {
      if (value.secret()) {
        request.secretEnv(name, value.value());
      } else {
        request.env(name, value.value());
      }
    });
    files.forEach(request::file);
    return request.build();
  }

  private static String describe(java.util.Set<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names));
  }

  /** One attempt: the container from start to removal. */
  private final class Attempt {
    private final StepContext ctx;
    private final ContainerRequest request;
    private final OutputTail stdoutTail;
    private final OutputTail stderrTail;
    private final StreamCapture captured;
    private final Map<LogStream, LongLineMasker> maskers = new EnumMap<>(LogStream.class);

    Attempt(StepContext ctx, ContainerRequest request) {
      this.ctx = ctx;
      this.request = request;
      for (LogStream stream : LogStream.values()) {
        maskers.put(stream, new LongLineMasker(ctx.masker()));
      }
      this.stdoutTail = new OutputTail(ctx.masker());
      this.stderrTail = new OutputTail(ctx.masker());
      OutputSource source = definition.output().source();
      this.captured = source == OutputSource.STDOUT || source == OutputSource.STDERR
          ? new StreamCapture(OutputCapture.READ_CAP) : null;
    }

    /** Set once the held text is flushed: a runtime thread delivering after the handle closed is ignored. */
    private boolean linesEnded;

    /**
     * Takes what the runtime delivers: a whole line, or with {@code partial} a piece of a long line.
     * Synchronized with {@link #flushHeldText()}: a runtime may deliver its last pieces on its own thread
     * while the engine thread closes the handle.
     */
    private synchronized void receive(LogStream stream, String text, boolean partial) {
      if (linesEnded) {
        return;
      }
      (stream == LogStream.STDERR ? stderrTail : stdoutTail).add(text, partial);
      OutputSource source = definition.output().source();
      if (captured != null && (stream == LogStream.STDERR) == (source == OutputSource.STDERR)) {
        captured.add(text, partial);
      }
      // A secret the command wrote in several writes is whole in its line; a multi-line secret is masked
      // line by line (the masker also knows each of its lines); one across the pieces of a long line is
      // held back by the stream's LongLineMasker until it is whole.
      LongLineMasker masker = maskers.get(stream);
      String masked = partial ? masker.piece(text) : masker.endOfLine(text);
      if (!partial || !masked.isEmpty()) {
        ctx.log().line(stream, masked);
      }
    }

    /** Shows what a stream that ended in the middle of a line left held back; later deliveries are dropped. */
    private synchronized void flushHeldText() {
      linesEnded = true;
      maskers.forEach((stream, masker) -> {
        if (masker.holdsText()) {
          ctx.log().line(stream, masker.endOfLine(""));
        }
      });
    }

    StepResult run() throws Exception {
      ContainerHandle handle;
      try {
        handle = runtime.start(request, new LogSink() {
          @Override
          public void line(LogStream stream, String text) {
            receive(stream, text, false);
          }

          @Override
          public void partialLine(LogStream stream, String text) {
            receive(stream, text, true);
          }
        });
      } catch (ContainerRuntimeException e) {
        report(null, null, Map.of());
        throw runtimeError("cannot start", e);
      }
      ContainerExit exit = null;
      long cleanupStart = 0;
      try {
        ctx.onCancel(() -> handle.stop(definition.gracePeriod()));
        try {
          exit = awaitExit(handle);
        } catch (InterruptedException e) {
          handle.stop(definition.gracePeriod());
          throw e;
        } catch (ContainerRuntimeException e) {
          throw runtimeError("failed", e);
        }
        if (ctx.isCancelled()) {
          throw new InterruptedException("the attempt was cancelled; the container was stopped");
        }
        return outcome(handle, exit);
      } finally {
        // A pure measurement of how long the clean-up took (the container report's phase), not promotion time.
        cleanupStart = System.nanoTime();
        handle.close();
        flushHeldText();
        Map<String, Long> phases = new LinkedHashMap<>();
        if (exit != null) {
          exit.phases().forEach((phase, took) -> phases.put(phase, took.toMillis()));
        }
        phases.put("cleanup", (System.nanoTime() - cleanupStart) / 1_000_000);
        report(exit, handle.id(), phases);
      }
    }

    private ContainerExit awaitExit(ContainerHandle handle) throws InterruptedException {
      Optional<ContainerExit> exit = Optional.empty();
      while (exit.isEmpty()) {
        exit = handle.await(FOREVER);
      }
      return exit.get();
    }

    private void report(ContainerExit exit, String id, Map<String, Long> phases) {
      ctx.reportContainer(new ContainerReport(definition.image(), runtime.name(),
          exit == null ? null : exit.exitCode(), exit != null && exit.oomKilled(), id, phases));
    }

    private StepException runtimeError(String what, ContainerRuntimeException e) {
      String message = "container of step \"" + definition.name() + "\" (image " + definition.image() + "): " + what
          + ": " + ctx.masker().mask(e.getMessage());
      return e.isRetryable() ? new StepException(message, e) : StepException.terminal(message, e);
    }

    private StepResult outcome(ContainerHandle handle, ContainerExit exit) throws IOException {
      int code = exit.exitCode();
      String what = "container of step \"" + definition.name() + "\" (image " + definition.image() + ")";
      if (exit.oomKilled()) {
        String limit = definition.resources().limits().get("memory");
        throw new StepException(what + " was killed for running out of memory (limit "
            + (limit == null ? "none set" : limit) + ", exit code " + code + ")" + tails());
      }
      if (code == 0) {
        return StepResult.succeeded(outputs(handle));
      }
      if (code == CustomStepDefinition.EXIT_RUNNING) {
        return StepResult.running(null, outputs(handle), "exited with code 75: not done yet, will run again");
      }
      if (definition.failedExitCodes().contains(code)) {
        return StepResult.failed(what + " exited with code " + code + ", listed in failedExitCodes" + tails());
      }
      throw new StepException(what + " exited with code " + code + tails());
    }

    private Map<String, Object> outputs(ContainerHandle handle) throws IOException {
      CustomStepDefinition.Output spec = definition.output();
      CapturedFile raw;
      String sourceName;
      switch (spec.source()) {
        case PIPE -> {
          try {
            raw = handle.readOutputFile(OutputCapture.READ_CAP);
          } catch (ContainerRuntimeException e) {
            throw runtimeError("cannot read its KARGO_OUTPUT", e);
          }
          sourceName = "the KARGO_OUTPUT file";
        }
        case STDOUT, STDERR -> {
          raw = captured.captured();
          sourceName = spec.source() == OutputSource.STDOUT ? "stdout" : "stderr";
        }
        case FILE -> {
          raw = readWorkdirFile(spec.path());
          sourceName = "file \"" + spec.path() + "\"";
        }
        default -> throw new IllegalStateException(spec.source().toString());
      }
      return OutputCapture.capture(spec, raw, sourceName, ctx::evaluateIsolated);
    }

    private CapturedFile readWorkdirFile(String relative) throws IOException {
      Path file = ctx.resolvePath(relative);
      BasicFileAttributes attributes;
      try {
        // Not following links: the path is resolved already, and a link swapped in afterwards is not read.
        attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        throw StepException.terminal("output file \"" + relative + "\" was not written by the container");
      }
      if (!attributes.isRegularFile()) {
        // Opening a named pipe would block until someone writes to it, maybe forever.
        throw StepException.terminal("output file \"" + relative + "\" " + FileKind.describe(file, attributes)
            + ", not a regular file");
      }
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        byte[] content = in.readNBytes(OutputCapture.READ_CAP);
        return new CapturedFile(content, Math.max(attributes.size(), content.length));
      } catch (NoSuchFileException e) {
        throw StepException.terminal("output file \"" + relative + "\" was not written by the container");
      }
    }

    /** The end of a failure message: the last 16 KiB of stdout and of stderr, masked. */
    private String tails() {
      StringBuilder sb = new StringBuilder();
      appendTail(sb, "stdout", stdoutTail);
      appendTail(sb, "stderr", stderrTail);
      return sb.length() == 0 ? " (no output)" : sb.toString();
    }

    private void appendTail(StringBuilder sb, String name, OutputTail tail) {
      if (tail.isEmpty()) {
        return;
      }
      sb.append("\n--- ").append(name).append(tail.cut() ? " (last 16 KiB)" : "").append(" ---\n").append(tail.text());
    }
  }
}
