package io.promokit.architecture;

import io.promokit.RegisteredStep;
import io.promokit.spi.CredentialsProvider;
import io.promokit.steps.BuiltinSteps;
import io.promokit.steps.argocd.ArgoCdSteps;
import io.promokit.steps.files.FileSteps;
import io.promokit.steps.git.GitSteps;
import io.promokit.steps.manifests.ManifestSteps;
import io.promokit.steps.oci.OciSteps;
import java.util.ArrayList;
import java.util.List;

/** promokit's steps with default settings, as the CLI registers them. */
final class PromokitSteps {
  private PromokitSteps() {}

  /** The steps of the five step modules. */
  static List<RegisteredStep> modules() {
    List<RegisteredStep> steps = new ArrayList<>(GitSteps.create().steps());
    try (ManifestSteps manifests = ManifestSteps.create()) {
      steps.addAll(manifests.steps());
    }
    steps.addAll(FileSteps.create().steps());
    steps.addAll(OciSteps.builder().credentials(CredentialsProvider.NONE).build().steps());
    steps.addAll(ArgoCdSteps.unconfigured().steps());
    return steps;
  }

  /** Core's built-in steps and the five modules' steps. */
  static List<RegisteredStep> all() {
    List<RegisteredStep> steps = modules();
    steps.addAll(BuiltinSteps.all());
    return steps;
  }
}
