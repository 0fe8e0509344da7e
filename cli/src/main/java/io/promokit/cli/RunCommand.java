package io.promokit.cli;

import io.promokit.PromotionContext;
import io.promokit.PromotionEngine;
import io.promokit.PromotionException;
import io.promokit.PromotionPhase;
import io.promokit.PromotionSequence;
import io.promokit.StepKind;
import io.promokit.documents.DocumentException;
import io.promokit.documents.PromotionPlan;
import io.promokit.records.PromotionRecord;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.PullSecretSource;
import io.promokit.validation.ValidationException;
import io.promokit.validation.ValidationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code promokit run}: validates, then runs a promotion and reports it (CLI.md). */
final class RunCommand implements Subcommand {

  Path templateFile;

  final TemplateInputs inputs = new TemplateInputs();

  final RuntimeOptions runtimeOptions = new RuntimeOptions();

  final CredentialsOptions credentials = new CredentialsOptions();

  final GitOptions gitOptions = new GitOptions();

  final ArgoCdOptions argoCdOptions = new ArgoCdOptions();

  final Map<String, String> vars = new LinkedHashMap<>();

  final Map<String, String> ctx = new LinkedHashMap<>();

  Path secretsFile;

  Path pullSecretsFile;

  Path workdir;

  boolean keepWorkdir;

  Path recordFile;

  boolean quiet;

  boolean printJson;

  @Override
  public Arguments arguments() {
    Arguments arguments = new Arguments("promokit run",
        "Validate a template, its tasks and step definitions, then run the promotion.",
        "Exit codes: 0 Succeeded, 1 Failed/Errored/Aborted, 2 bad input (nothing ran), 130 interrupted.");
    arguments.positional("TEMPLATE", "The template: a bare template or a Kargo Stage.",
        Arguments.path("TEMPLATE", file -> templateFile = file));
    inputs.declare(arguments);
    runtimeOptions.declare(arguments);
    credentials.declare(arguments);
    gitOptions.declare(arguments);
    argoCdOptions.declare(arguments);
    arguments.repeatable("--var", "NAME=VALUE", "Override or add a global var (repeatable).",
        Arguments.keyValue("--var", "NAME=VALUE", vars));
    arguments.repeatable("--ctx", "KEY=VALUE",
        "ctx fields: project, stage, promotion, actor, freight, freightAlias, freightOrigin, rollback, uiBaseUrl.",
        Arguments.keyValue("--ctx", "KEY=VALUE", ctx));
    arguments.value("--secrets", "FILE", "YAML/JSON map: secret name -> {key: value}; values are taken as "
        + "written (0123 stays \"0123\"), each at least 4 characters.",
        Arguments.path("--secrets", file -> secretsFile = file));
    arguments.value("--pull-secrets", "FILE",
        "YAML/JSON map: imagePullSecrets name -> Docker config JSON ({\"auths\": ...}).",
        Arguments.path("--pull-secrets", file -> pullSecretsFile = file));
    arguments.value("--workdir", "DIR", "Use this shared working directory (never deleted).",
        Arguments.path("--workdir", dir -> workdir = dir));
    arguments.flag("--keep-workdir", "Do not delete the working directory at the end.", () -> keepWorkdir = true);
    arguments.value("--record", "FILE", "Write the promotion record (JSON) here.",
        Arguments.path("--record", file -> recordFile = file));
    arguments.oneOf(false, group -> group
        .flag("--quiet", "No progress lines.", () -> quiet = true)
        .flag("--json", "Print the record as JSON on stdout.", () -> printJson = true));
    return arguments;
  }

  @Override
  public int call(PrintWriter out, PrintWriter err) {
    StepModules modules = null;
    ContainerRuntime containerRuntime = null;
    PromotionEngine engine = null;
    PromotionSequence sequence = null;
    ArgoCdOptions.Connection argoCd = null;
    try {
      modules = new StepModules(gitOptions.steps(credentials.provider()), credentials.provider());
      TemplateInputs.Loaded loaded = inputs.load(templateFile, modules, err);
      ValidationReport report = loaded.report(vars);
      ValidateCommand.print(report, err);
      if (!report.isValid()) {
        return ExitCodes.BAD_INPUT;
      }
      runtimeOptions.validate();
      PullSecretSource pullSecrets = PullSecretsFile.read(pullSecretsFile);
      PromotionContext context = ContextOptions.parse(ctx);
      PromotionPlan plan = PromotionPlan.inflate(loaded.template(), loaded.tasks());
      // Only a promotion that may run an Argo CD step connects; its cluster is checked before anything runs.
      argoCd = argoCdOptions.connect(plan, vars, context, err).orElse(null);
      PromotionEngine.Builder engineBuilder = PromotionEngine.builder()
          .registry(argoCd == null ? loaded.registry() : loaded.registryWith(argoCd.steps().steps()))
          .closeOnClose(modules)
          .secrets(SecretsFile.read(secretsFile))
          .pullSecrets(pullSecrets);
      if (workdir == null && runtimeOptions.workdirRoot() != null) {
        engineBuilder.workdirRoot(runtimeOptions.workdirRoot());
      }
      if (argoCd != null) {
        engineBuilder.closeOnClose(argoCd);
      }
      boolean usesContainers = plan.steps().stream()
          .anyMatch(s -> loaded.registry().find(s.uses()).map(r -> r.kind() == StepKind.CONTAINER).orElse(false));
      if (usesContainers) {
        containerRuntime = runtimeOptions.create(err, ImageNeeds.of(plan, loaded.definitions(), pullSecrets));
        engineBuilder.containerRuntime(containerRuntime).closeOnClose(containerRuntime);
      }
      engine = engineBuilder.build();
      // Validated above with the document problems, in one report: not again here.
      PromotionSequence.Builder builder = engine.sequence(loaded.template(), loaded.tasks())
          .context(context)
          .keepWorkdir(keepWorkdir)
          .validate(false);
      vars.forEach(builder::var);
      if (workdir != null) {
        builder.workdir(workdir);
      }
      if (!quiet) {
        builder.listener(new ProgressPrinter(err, engine.engineId()));
      }
      sequence = builder.build();
    } catch (DocumentException e) {
      ValidateCommand.print(ValidationReport.of(e.problems()), err);
      return ExitCodes.BAD_INPUT;
    } catch (ValidationException | BadInputException e) {
      err.println("promokit run: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } finally {
      if (sequence == null) {
        // Nothing will run: do not leave the runtime's client and threads, or the modules' files, behind.
        if (engine != null) {
          engine.close();
        } else {
          if (containerRuntime != null) {
            containerRuntime.close();
          }
          if (modules != null) {
            modules.close();
          }
          if (argoCd != null) {
            argoCd.close();
          }
        }
      }
    }
    return execute(engine, sequence, out, err);
  }

  /** Runs the promotion, writes its record and closes the engine (also when Ctrl-C aborts it). */
  private int execute(PromotionEngine engine, PromotionSequence sequence, PrintWriter out, PrintWriter err) {
    CountDownLatch reported = new CountDownLatch(1);
    // Ctrl-C: closing the engine aborts the running step and waits for it to clean up; the record is written
    // (below) before the hook returns and the JVM exits with 130.
    Thread onSignal = new Thread(() -> {
      if (reported.getCount() > 0) {
        err.println("promokit: interrupted; aborting " + sequence.promotion());
        err.flush();
        closeQuietly(engine, err);
        try {
          reported.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, "promokit-abort-on-signal");
    Runtime.getRuntime().addShutdownHook(onSignal);
    PromotionRecord record;
    try {
      try {
        record = sequence.start().await();
      } catch (PromotionException e) {
        // The promotion could not start (its working directory, say): a message, not a stack trace.
        err.println("promokit run: " + e.getMessage());
        closeQuietly(engine, err);
        return ExitCodes.PROMOTION_FAILED;
      }
      writeRecord(record, out, err);
      closeQuietly(engine, err);
    } finally {
      reported.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is exiting on a signal: the hook is running and the exit code will be 130.
      }
    }
    return record.phase() == PromotionPhase.SUCCEEDED ? ExitCodes.OK : ExitCodes.PROMOTION_FAILED;
  }

  private static void closeQuietly(PromotionEngine engine, PrintWriter err) {
    try {
      engine.close();
    } catch (RuntimeException e) {
      err.println("promokit run: " + e.getMessage());
      err.flush();
    }
  }

  private void writeRecord(PromotionRecord record, PrintWriter out, PrintWriter err) {
    String json = record.toJson();
    if (recordFile != null) {
      try {
        Path parent = recordFile.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(recordFile, json + "\n");
      } catch (IOException e) {
        err.println("promokit run: cannot write the record to " + recordFile + ": " + e.getMessage());
      }
    }
    if (printJson) {
      out.println(json);
      out.flush();
    }
  }
}
