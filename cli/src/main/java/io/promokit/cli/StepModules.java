package io.promokit.cli;

import io.promokit.RegisteredStep;
import io.promokit.steps.argocd.ArgoCdSteps;
import io.promokit.steps.files.FileSteps;
import io.promokit.steps.manifests.ManifestSteps;
import java.util.ArrayList;
import java.util.List;

/**
 * The step modules the command registers besides core's built-ins, each with its default settings; the Argo CD
 * steps without a cluster ({@code run} binds them to one when the promotion needs it, {@link #replacing}).
 */
final class StepModules {

  /**
   * kustomize-set-image, kustomize-build, helm-template and helm-update-chart (one instance for the CLI's one
   * run; its Helm folder under java.io.tmpdir is removed when the JVM exits, and by ManifestSteps.reap after a
   * crash).
   */
  private static final ManifestSteps MANIFEST_STEPS = ManifestSteps.create();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(MANIFEST_STEPS::close, "promokit-manifest-steps-close"));
  }

  private StepModules() {}

  /** Every module step, in the order the modules are listed here. */
  static List<RegisteredStep> all() {
    List<RegisteredStep> steps = new ArrayList<>();
    steps.addAll(MANIFEST_STEPS.steps());
    steps.addAll(FileSteps.create().steps());
    steps.addAll(ArgoCdSteps.unconfigured().steps());
    return steps;
  }

  /** The steps with these in place of the same-named ones (the Argo CD steps bound to a cluster). */
  static List<RegisteredStep> replacing(List<RegisteredStep> steps, List<RegisteredStep> replacements) {
    List<RegisteredStep> out = new ArrayList<>();
    for (RegisteredStep step : steps) {
      out.add(replacements.stream().filter(r -> r.name().equals(step.name())).findFirst().orElse(step));
    }
    return out;
  }
}
