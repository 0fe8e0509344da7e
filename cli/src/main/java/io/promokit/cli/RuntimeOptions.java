package io.promokit.cli;

import io.promokit.runtime.LocalProcessRuntime;
import io.promokit.runtime.docker.DockerContainerRuntime;
import io.promokit.runtime.k8s.KubernetesContainerRuntime;
import io.promokit.runtime.k8s.KubernetesRuntimeSettings;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.ContainerRuntimeException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --runtime} and the options of each runtime; chooses and builds the {@link ContainerRuntime}. */
final class RuntimeOptions {

  enum Choice { auto, docker, kubernetes, local }

  /** How long {@code auto} lets one image pull before the promotion starts; longer means a stalled registry. */
  private static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);

  @Option(names = "--runtime", paramLabel = "NAME", defaultValue = "auto",
      description = "auto (default) | docker | kubernetes | local. auto: docker when a daemon answers and"
          + " can get the images (missing ones are pulled first), else local.")
  Choice runtime = Choice.auto;

  @Option(names = "--namespace", paramLabel = "NS",
      description = "kubernetes: namespace for step pods (default: the kubeconfig context's).")
  String namespace;

  @Mixin KubernetesOptions kubernetes = new KubernetesOptions();

  private KubernetesRuntimeSettings kubernetesSettings;

  /** Checks the options before anything runs (exit 2 on a problem). */
  void validate() {
    if (runtime != Choice.kubernetes && (namespace != null || kubernetes.anySet())) {
      throw new BadInputException("--namespace and the --k8s-* options only apply to --runtime kubernetes");
    }
    if (runtime == Choice.kubernetes) {
      kubernetesSettings = kubernetes.settings(namespace);
    }
  }

  /** Where the engine creates workdirs: on the claim's mount for Kubernetes, else the temporary directory. */
  Path workdirRoot() {
    return runtime == Choice.kubernetes ? kubernetes.effectiveWorkdirRoot() : null;
  }

  /**
   * Builds the runtime; {@code auto} says which one it picked on {@code err}. {@code auto} picks Docker when
   * a daemon answers and can supply every image the promotion needs (pulling the missing ones now, so a
   * promotion does not stop half-way for an image); when a registry cannot be reached it says so and picks
   * the local runtime. A registry's refusal (image missing, access denied) keeps Docker: the step then
   * fails with the registry's answer, as it would with {@code --runtime docker}.
   */
  ContainerRuntime create(PrintWriter err, List<ImageNeeds.Need> images) {
    return switch (runtime) {
      case local -> LocalProcessRuntime.create();
      case auto -> {
        Optional<DockerContainerRuntime> docker = DockerContainerRuntime.tryCreate();
        if (docker.isEmpty()) {
          err.println("promokit: no Docker daemon answers; running container steps as local processes"
              + " (the image is ignored, no isolation)");
          yield LocalProcessRuntime.create();
        }
        String unreachable;
        try {
          unreachable = firstUnreachableImage(docker.get(), images, err);
        } catch (RuntimeException e) {
          docker.get().close();
          throw e;
        }
        if (unreachable != null) {
          docker.get().close();
          err.println("promokit: Docker cannot get " + unreachable + "; running container steps as local processes"
              + " (the image is ignored, no isolation; --runtime docker insists on Docker)");
          yield LocalProcessRuntime.create();
        }
        err.println("promokit: running container steps in Docker (" + docker.get().daemon() + ")");
        yield docker.get();
      }
      case docker -> {
        DockerContainerRuntime docker;
        try {
          docker = DockerContainerRuntime.create();
        } catch (RuntimeException e) {
          throw new BadInputException("--runtime docker: no Docker daemon answers: " + e.getMessage(), e);
        }
        if (!DockerContainerRuntime.isAvailable()) {
          docker.close();
          throw new BadInputException("--runtime docker: no Docker daemon answers at " + docker.daemon()
              + " (set DOCKER_HOST, start the daemon, or use --runtime local)");
        }
        yield docker;
      }
      case kubernetes -> {
        KubernetesContainerRuntime k8s = KubernetesContainerRuntime.create(kubernetesSettings);
        try {
          k8s.verifyAccess();
        } catch (ContainerRuntimeException e) {
          k8s.close();
          throw new BadInputException("--runtime kubernetes: " + e.getMessage(), e);
        }
        err.println("promokit: running container steps as pods in namespace " + k8s.namespace());
        if (kubernetesSettings.workdirClaim().isEmpty()) {
          err.println("promokit: warning: no --k8s-workdir-claim: each step Pod gets an empty /workspace of its own,"
              + " so steps share no files (File outputs and files from other steps are not there)");
        }
        yield k8s;
      }
    };
  }

  /** Pulls the missing images; describes the first one whose registry cannot be reached, or null. */
  private static String firstUnreachableImage(DockerContainerRuntime docker, List<ImageNeeds.Need> images,
      PrintWriter err) {
    for (ImageNeeds.Need need : images) {
      try {
        if (docker.pullIfMissing(need.image(), need.credentials(), PULL_TIMEOUT)) {
          err.println("promokit: pulled image " + need.image() + " for "
              + Counted.noun(need.steps().size(), "step") + " " + String.join(", ", need.steps()));
        }
      } catch (ContainerRuntimeException e) {
        if (e.isRetryable()) {
          return "image " + need.image() + " (" + Counted.noun(need.steps().size(), "step") + " "
              + String.join(", ", need.steps()) + "): " + e.getMessage();
        }
        // A refusal (missing image, access denied) is the step's failure to report, with Docker.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BadInputException("interrupted while pulling image " + need.image() + " for step "
            + String.join(", ", need.steps()), e);
      }
    }
    return null;
  }
}
