package io.promokit.cli;

import io.promokit.RegisteredStep;
import io.promokit.spi.CredentialsProvider;
import io.promokit.steps.argocd.ArgoCdSteps;
import io.promokit.steps.files.FileSteps;
import io.promokit.steps.git.GitSteps;
import io.promokit.steps.manifests.ManifestSteps;
import io.promokit.steps.oci.OciSteps;
import java.util.ArrayList;
import java.util.List;

/**
 * The step modules a command registers besides core's built-ins, each with its default settings (the Argo CD
 * steps without a cluster: {@code run} binds them to one when the promotion needs it, {@link #replacing}), made
 * per command. Closing it releases what the modules hold (the Helm folder under java.io.tmpdir that the manifest
 * steps extract on first use; ManifestSteps.reap removes it after a crash): {@code run} hands it to its engine,
 * which closes it when the promotion is over (also on Ctrl-C); {@code validate} and {@code steps} close it
 * themselves.
 */
final class StepModules implements AutoCloseable {

  private final List<RegisteredStep> git;
  private final ManifestSteps manifests = ManifestSteps.create();
  private final FileSteps files = FileSteps.create();
  private final OciSteps oci;
  private final ArgoCdSteps argocd = ArgoCdSteps.unconfigured();

  /** The modules with default settings ({@code validate} and {@code steps} need only names and schemas). */
  StepModules() {
    this(defaultGitSteps(), CredentialsProvider.NONE);
  }

  /**
   * The modules with these git steps ({@code run} builds them from its options and credentials) and the OCI steps
   * with the credentials ({@code --credentials}: Secrets with {@code cred-type: image}, and {@code helm} for
   * {@code oci://} references; then the Docker config).
   */
  StepModules(List<RegisteredStep> gitSteps, CredentialsProvider credentials) {
    this.git = List.copyOf(gitSteps);
    try {
      this.oci = OciSteps.builder().credentials(credentials).build();
    } catch (IllegalArgumentException e) {
      // OciSteps reads MAX_OCI_PUSH_ARTIFACT_SIZE from the environment.
      throw new BadInputException(e.getMessage());
    }
  }

  private static List<RegisteredStep> defaultGitSteps() {
    try {
      return GitSteps.create().steps();
    } catch (IllegalArgumentException e) {
      // GitSteps reads GIT_PUSH_INTEGRATION_POLICY and friends from the environment.
      throw new BadInputException(e.getMessage());
    }
  }

  /** Every module step, in the order the modules are listed here. */
  List<RegisteredStep> steps() {
    List<RegisteredStep> steps = new ArrayList<>();
    steps.addAll(git);
    steps.addAll(manifests.steps());
    steps.addAll(files.steps());
    steps.addAll(oci.steps());
    steps.addAll(argocd.steps());
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

  @Override
  public void close() {
    manifests.close();
  }

  @Override
  public String toString() {
    return "the step modules (git, manifests, files, oci, argocd)";
  }
}
