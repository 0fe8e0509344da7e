package io.promokit.steps;

import io.promokit.RegisteredStep;
import java.util.List;
import java.util.Set;

/**
 * promokit's built-in steps (BUILTIN-STEPS.md): {@code compose-output}, {@code copy}, {@code delete},
 * {@code fail}, {@code file-write}, {@code http}, {@code json-parse}, {@code json-update},
 * {@code set-freight-alias}, {@code set-metadata}, {@code sleep}, {@code yaml-parse} and {@code yaml-update}
 * (the two {@code set-} steps call the host's callbacks, {@link io.promokit.spi.PromotionMetadataSink} and
 * {@link io.promokit.spi.FreightAliasService}). Their config fields follow Kargo's steps of the same name; each
 * declares a config schema, and every path in a config stays inside the promotion's working directory.
 */
public final class BuiltinSteps {

  /** The built-ins Kargo does not have; see {@link #isPromokitOnly(String)}. */
  private static final Set<String> PROMOKIT_ONLY = Set.of("sleep");

  private BuiltinSteps() {}

  /**
   * Whether the built-in of this name is promokit's own, not one of Kargo's ({@code sleep}): a Kargo project's
   * custom step of that name (such as the seed's {@code sleep} container step) replacing it is expected, so a
   * host need not warn about it.
   */
  public static boolean isPromokitOnly(String name) {
    return PROMOKIT_ONLY.contains(name);
  }

  /**
   * Every built-in step, kind {@link io.promokit.StepKind#BUILTIN}, with its schema and description in its
   * options; registered by {@code StepRegistry.builder().withBuiltins()}. Each call returns new step
   * instances (the {@code http} step's client belongs to the registry that holds it); the schemas are shared.
   */
  public static List<RegisteredStep> all() {
    List<BuiltinStep> steps = List.of(
        new ComposeOutputStep(),
        new CopyStep(),
        new DeleteStep(),
        new FailStep(),
        new FileWriteStep(),
        new HttpStep(),
        new ParseStep(DocumentFormat.JSON),
        new UpdateStep(DocumentFormat.JSON),
        new SetFreightAliasStep(),
        new SetMetadataStep(),
        new SleepStep(),
        new ParseStep(DocumentFormat.YAML),
        new UpdateStep(DocumentFormat.YAML));
    return steps.stream().map(BuiltinStep::registration).toList();
  }
}
