package io.promokit.testkit.example;

import io.promokit.RegisteredStep;
import io.promokit.StepContext;
import io.promokit.StepResult;
import io.promokit.steps.kit.AtomicFiles;
import io.promokit.steps.kit.ConfigDurations;
import io.promokit.steps.kit.ProcessResult;
import io.promokit.steps.kit.ProcessRunner;
import io.promokit.steps.kit.ProcessSpec;
import io.promokit.steps.kit.StepDefinition;
import io.promokit.steps.kit.WorkdirPaths;
import io.promokit.steps.kit.WorkdirPaths.Access;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A small step module built on the step kit, quoted by docs/step-kit.md: one public entry class whose
 * {@link #steps()} a host registers next to the built-ins. Its one step, {@code file-checksum}, runs a tool
 * ({@code sha256sum}) on a file of the working directory and writes the digest next to it.
 */
public final class ChecksumSteps {

  // --8<-- [start:definition]
  /** The config of {@code file-checksum}, bound after the engine checked it against the schema. */
  record ChecksumConfig(String path, String timeout) {}

  /** The steps of this module, for {@code StepRegistry.Builder.register(Collection)}. */
  public List<RegisteredStep> steps() {
    return List.of(StepDefinition.builder("file-checksum")
        .schemaResource(ChecksumSteps.class, "schemas/file-checksum.json")
        .defaultTimeout(Duration.ofMinutes(5))
        .run(ChecksumConfig.class, this::checksum)
        .build());
  }
  // --8<-- [end:definition]

  public static ChecksumSteps create() {
    return new ChecksumSteps();
  }

  // --8<-- [start:step]
  private StepResult checksum(StepContext ctx, ChecksumConfig config) throws Exception {
    if (ctx.previousOutputs().get("digest") instanceof String digest) {
      // An earlier attempt of this promotion got as far as the digest: do not compute it twice.
      return StepResult.succeeded(Map.of("digest", digest));
    }
    Duration timeout = config.timeout() == null ? Duration.ofMinutes(1)
        : ConfigDurations.positive(config.timeout(), "config.timeout"); // a bad value: the step ends Failed
    Path file = WorkdirPaths.resolve(ctx.workdir(), config.path(), Access.READ, "config.path");
    ProcessResult sum = ProcessRunner.forStep(ctx).run(ProcessSpec.builder("sha256sum", "--", file.toString())
            .timeout(timeout)
            .missingToolHint("install coreutils (Debian: apt-get install coreutils)")
            .build())
        .requireSuccess();
    String digest = sum.stdout().substring(0, 64);
    Path target = WorkdirPaths.resolve(ctx.workdir(), config.path() + ".sha256", Access.WRITE, "config.path");
    AtomicFiles.writeString(target, digest + "\n");
    return StepResult.succeeded(Map.of("digest", digest));
  }
  // --8<-- [end:step]
}
