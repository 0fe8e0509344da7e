package io.promokit.cli;

import io.promokit.runtime.LocalProcessRuntime;
import io.promokit.runtime.docker.DockerContainerRuntime;
import io.promokit.runtime.k8s.KubernetesContainerRuntime;
import io.promokit.runtime.k8s.KubernetesRuntimeSettings;
import java.nio.file.Path;
import io.promokit.spi.ContainerRuntime;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --runtime} and the options of each runtime; chooses and builds the {@link ContainerRuntime}. */
final class RuntimeOptions {

  enum Choice { auto, docker, kubernetes, local }

  @Option(names = "--runtime", paramLabel = "NAME", defaultValue = "auto",
      description = "auto (default) | docker | kubernetes | local. auto: docker when a daemon answers, else local.")
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

  /** Builds the runtime; {@code auto} says which one it picked on {@code err}. */
  ContainerRuntime create(PrintWriter err) {
    return switch (runtime) {
      case local -> LocalProcessRuntime.create();
      case auto -> {
        Optional<DockerContainerRuntime> docker = DockerContainerRuntime.tryCreate();
        if (docker.isPresent()) {
          err.println("promokit: running container steps in Docker (" + docker.get().daemon() + ")");
          yield docker.get();
        }
        err.println("promokit: no Docker daemon answers; running container steps as local processes"
            + " (the image is ignored, no isolation)");
        yield LocalProcessRuntime.create();
      }
      case docker -> {
        try {
          yield DockerContainerRuntime.create();
        } catch (RuntimeException e) {
          throw new BadInputException("--runtime docker: no Docker daemon answers: " + e.getMessage(), e);
        }
      }
      case kubernetes -> {
        KubernetesContainerRuntime k8s = KubernetesContainerRuntime.create(kubernetesSettings);
        err.println("promokit: running container steps as pods in namespace " + k8s.namespace());
        yield k8s;
      }
    };
  }
}
