package io.promokit.cli;

import io.promokit.runtime.LocalProcessRuntime;
import io.promokit.runtime.docker.DockerContainerRuntime;
import io.promokit.spi.ContainerRuntime;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --runtime} and the options of each runtime; chooses and builds the {@link ContainerRuntime}. */
final class RuntimeOptions {

  enum Choice { auto, docker, kubernetes, local }

  @Option(names = "--runtime", paramLabel = "NAME", defaultValue = "auto",
      description = "auto (default) | docker | kubernetes | local. auto: docker when a daemon answers, else local.")
  Choice runtime = Choice.auto;

  @Option(names = "--namespace", paramLabel = "NS", description = "kubernetes: namespace for step pods.")
  String namespace;

  /** Checks the options before anything runs (exit 2 on a problem). */
  void validate() {
    if (namespace != null && runtime != Choice.kubernetes) {
      throw new BadInputException("--namespace only applies to --runtime kubernetes");
    }
    if (runtime == Choice.kubernetes && (namespace == null || namespace.isBlank())) {
      throw new BadInputException("--runtime kubernetes needs --namespace NS");
    }
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
      case kubernetes -> throw new BadInputException("--runtime kubernetes is not available in this build");
    };
  }
}
