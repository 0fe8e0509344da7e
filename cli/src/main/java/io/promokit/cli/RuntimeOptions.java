package io.promokit.cli;

import io.promokit.runtime.LocalProcessRuntime;
import io.promokit.runtime.docker.DockerContainerRuntime;
import io.promokit.runtime.k8s.KubernetesContainerRuntime;
import io.promokit.runtime.k8s.KubernetesRuntimeSettings;
import io.promokit.spi.ContainerPolicy;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.ContainerRuntimeException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --runtime} and the options of each runtime; chooses and builds the {@link ContainerRuntime}. */
final class RuntimeOptions {

  enum Choice { auto, docker, kubernetes, local }

  /** How long {@code auto} lets one image pull before the promotion starts; longer means a stalled registry. */
  private static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);

  Choice runtime = Choice.auto;

  String namespace;

  String dockerHelperImage;

  final List<String> allowRoot = new ArrayList<>();

  final KubernetesOptions kubernetes = new KubernetesOptions();

  /** Declares the options, the Kubernetes ones included. */
  void declare(Arguments arguments) {
    arguments.value("--runtime", "NAME",
        "auto (default) | docker | kubernetes | local. auto: docker when a daemon answers (missing"
            + " images are pulled first; a step whose image Docker cannot get fails), else local with a warning.",
        Arguments.choice("--runtime", Choice.class, choice -> runtime = choice));
    arguments.value("--namespace", "NS", "kubernetes: namespace for step pods (default: the kubeconfig context's).",
        ns -> namespace = ns);
    arguments.value("--docker-helper-image", "IMAGE",
        "docker: the image holding the static BusyBox that launches containers with secret env values"
            + " (default: " + DockerContainerRuntime.DEFAULT_HELPER_IMAGE + ").",
        image -> dockerHelperImage = image);
    arguments.repeatable("--allow-root", "DEFINITION",
        "docker, kubernetes: let the containers of this step definition run as root (repeatable).", allowRoot::add);
    kubernetes.declare(arguments);
  }

  private KubernetesRuntimeSettings kubernetesSettings;

  /** Checks the options before anything runs (exit 2 on a problem). */
  void validate() {
    if (runtime != Choice.kubernetes && (namespace != null || kubernetes.anySet())) {
      throw new BadInputException("--namespace and the --k8s-* options only apply to --runtime kubernetes");
    }
    if (dockerHelperImage != null && runtime != Choice.docker && runtime != Choice.auto) {
      throw new BadInputException("--docker-helper-image only applies to --runtime docker or auto");
    }
    if (!allowRoot.isEmpty() && runtime == Choice.local) {
      throw new BadInputException("--allow-root does not apply to --runtime local (its commands run as this user)");
    }
    if (runtime == Choice.kubernetes) {
      kubernetesSettings = kubernetes.settings(namespace, policy());
    }
  }

  /** Where the engine creates workdirs: on the claim's mount for Kubernetes, else the temporary directory. */
  Path workdirRoot() {
    return runtime == Choice.kubernetes ? kubernetes.effectiveWorkdirRoot() : null;
  }

  /**
   * Builds the runtime; {@code auto} says which one it picked on {@code err}. {@code auto} picks the local runtime
   * only when no Docker daemon answers at all. When one answers it is Docker, whatever happens next: the images the
   * promotion needs are pulled now (so a promotion does not stop half-way for an image), and a step whose image
   * Docker cannot get fails with the reason, naming {@code --runtime local} as the way to run its command on this
   * host; never a per-image fall-back to the host.
   */
  ContainerRuntime create(PrintWriter err, List<ImageNeeds.Need> images) {
    return switch (runtime) {
      case local -> LocalProcessRuntime.create();
      case auto -> {
        if (!DockerContainerRuntime.isAvailable()) {
          err.println("promokit: no Docker daemon answers; running container steps as local processes"
              + " (the image is ignored, no isolation)");
          yield LocalProcessRuntime.create();
        }
        DockerContainerRuntime docker = docker();
        Map<String, String> unreachable;
        try {
          unreachable = unreachableImages(docker, images, err);
        } catch (RuntimeException e) {
          docker.close();
          throw e;
        }
        err.println("promokit: running container steps in Docker (" + docker.daemon() + ")");
        yield unreachable.isEmpty() ? docker : new UnreachableImages(docker, unreachable);
      }
      case docker -> {
        DockerContainerRuntime docker;
        try {
          docker = docker();
        } catch (BadInputException e) {
          throw e;
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

  /** The Docker runtime for the environment's daemon, with the helper image and policy of the options. */
  private DockerContainerRuntime docker() {
    DockerContainerRuntime.Builder b = DockerContainerRuntime.builder().policy(policy());
    if (dockerHelperImage != null) {
      try {
        b.helperImage(dockerHelperImage);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--docker-helper-image: " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  /** The default container policy, with the definitions {@code --allow-root} names allowed to run as root. */
  ContainerPolicy policy() {
    ContainerPolicy.Builder b = ContainerPolicy.builder();
    for (String definition : allowRoot) {
      if (definition.isBlank()) {
        throw new BadInputException("--allow-root: a step definition's name is needed");
      }
      b.allow(definition, ContainerPolicy.Allowance.builder().runAsRoot(true).build());
    }
    return b.build();
  }

  /**
   * Pulls the missing images; returns, by image, why Docker could not get those whose registry cannot be reached
   * (saying so on {@code err}). A registry's refusal (image missing, access denied) is left for the step to
   * report, as {@code --runtime docker} does.
   */
  private static Map<String, String> unreachableImages(DockerContainerRuntime docker, List<ImageNeeds.Need> images,
      PrintWriter err) {
    Map<String, String> unreachable = new LinkedHashMap<>();
    for (ImageNeeds.Need need : images) {
      try {
        if (docker.pullIfMissing(need.image(), need.credentials(), PULL_TIMEOUT)) {
          err.println("promokit: pulled image " + need.image() + " for "
              + Counted.noun(need.steps().size(), "step") + " " + String.join(", ", need.steps()));
        }
      } catch (ContainerRuntimeException e) {
        if (e.isRetryable()) {
          unreachable.put(need.image(), e.getMessage());
          err.println("promokit: " + UnreachableImages.message(need.image(), e.getMessage()) + " ("
              + Counted.noun(need.steps().size(), "step") + " " + String.join(", ", need.steps()) + " will fail)");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BadInputException("interrupted while pulling image " + need.image() + " for step "
            + String.join(", ", need.steps()), e);
      }
    }
    return unreachable;
  }
}
