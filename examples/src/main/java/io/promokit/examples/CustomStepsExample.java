package io.promokit.examples;

import io.promokit.CustomStepDefinition;
import io.promokit.PromotionContext;
import io.promokit.documents.PromotionDocuments;
import io.promokit.PromotionEngine;
import io.promokit.records.PromotionRecord;
import io.promokit.PromotionSequence;
import io.promokit.documents.PromotionTemplate;
import io.promokit.records.StepRecord;
import io.promokit.StepRegistry;
import io.promokit.StepResult;
import io.promokit.StepRuntime;
import io.promokit.runtime.LocalProcessRuntime;
import io.promokit.spi.ContainerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Registers an in-process step and a container step in code, then runs a promotion that uses both.
 * The container step runs on the local-process runtime here; a host would pass a Docker or Kubernetes
 * runtime instead, without changing anything else.
 */
public final class CustomStepsExample {

  /** An in-process step: writes the approval the container step checks for. */
  static final StepRuntime APPROVE = ctx -> {
    String approver = String.valueOf(ctx.config().getOrDefault("approver", "nobody"));
    Files.writeString(ctx.resolvePath("approval.txt"), "approved\n");
    ctx.log().info("approved by " + approver);
    return StepResult.succeeded(Map.of("approver", approver));
  };

  /** A container step: any image, its command templated over config and ctx, its output parsed as JSON. */
  static final CustomStepDefinition CHECK = CustomStepDefinition.builder("check-approval")
      .description("Succeeds when the workdir holds an approval")
      .image("ubuntu")
      .command(List.of("sh", "-c", "grep -qx approved approval.txt || exit 3; "
          + "printf '{\"stage\": \"%s\", \"approved\": true}' ${{ shellQuote(ctx.stage) }} > \"$KARGO_OUTPUT\""))
      .output(new CustomStepDefinition.Output(CustomStepDefinition.OutputSource.PIPE, "",
          CustomStepDefinition.OutputFormat.JSON, Map.of()))
      .failedExitCodes(java.util.Set.of(3))
      .defaultTimeout(Duration.ofMinutes(1))
      .build();

  static final String TEMPLATE = """
      steps:
        - as: approve
          uses: approve
          config:
            approver: ${{ ctx.meta.promotion.actor }}
        - as: check
          uses: check-approval
        - as: report
          uses: approve
          config:
            approver: ${{ outputs.check.stage }}
      """;

  private CustomStepsExample() {}

  /** The engine a host builds once and keeps: its steps and where container steps run. */
  public static PromotionEngine engine(ContainerRuntime containers) {
    StepRegistry registry = StepRegistry.builder()
        .withBuiltins()
        .register("approve", APPROVE)          // a StepRuntime: ctx -> StepResult.succeeded(Map.of(...))
        .register(CHECK)                       // a CustomStepDefinition, built in code or loaded from YAML
        .build();
    return PromotionEngine.builder()
        .registry(registry)
        .containerRuntime(containers)          // DockerContainerRuntime, KubernetesContainerRuntime, LocalProcessRuntime
        .build();
  }

  /** Prepares the example promotion (validated once) and runs it in {@code workdir}. */
  public static PromotionRecord run(PromotionEngine engine, Path workdir) {
    PromotionTemplate template = PromotionDocuments.parse(TEMPLATE, "example.yaml").singleTemplate();
    PromotionSequence sequence = engine.sequence(template)
        .workdir(workdir)
        .context(PromotionContext.builder().project("shop").stage("prod").promotion("prod-42").actor("alice").build())
        .build();
    return sequence.run();
  }

  /** Runs the example promotion in {@code workdir} on the given container runtime, on an engine of its own. */
  public static PromotionRecord run(Path workdir, ContainerRuntime containers) {
    try (PromotionEngine engine = engine(containers)) {
      return run(engine, workdir);
    }
  }

  public static void main(String[] args) throws Exception {
    Path workdir = Files.createTempDirectory("promokit-example-");
    try (ContainerRuntime containers = LocalProcessRuntime.create()) {
      PromotionRecord record = run(workdir, containers);
      System.out.println("promotion " + record.promotion() + ": " + record.phase());
      for (StepRecord step : record.steps()) {
        System.out.println("  " + step.alias() + " " + step.status() + " " + step.outputs());
      }
    }
  }
}
