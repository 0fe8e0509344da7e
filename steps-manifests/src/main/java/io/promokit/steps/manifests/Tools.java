package io.promokit.steps.manifests;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.spi.CredentialsProvider;
import io.promokit.steps.manifests.internal.helm.HelmChild;
import io.promokit.steps.manifests.internal.helm.HelmWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What the steps of one {@link ManifestSteps} share: the binaries, the Helm workspace, the host's SPIs. */
final class Tools implements AutoCloseable {

  private final Path kustomize;
  private final Path kubectl;
  private final String helmCommand;
  private final Path javaBinary;
  private final Path tempRoot;
  private final CredentialsProvider credentials;
  private final FreightImageSource freightImages;
  private final boolean credentialsOverHttp;
  private final int helmWorkers;
  private final Duration helmIdleTimeout;
  private HelmWorkspace workspace;
  private HelmChild helm;
  private boolean closed;

  Tools(Path kustomize, Path kubectl, String helmCommand, Path javaBinary, Path tempRoot,
      CredentialsProvider credentials, FreightImageSource freightImages, boolean credentialsOverHttp,
      int helmWorkers, Duration helmIdleTimeout) {
    this.kustomize = kustomize;
    this.kubectl = kubectl;
    this.helmCommand = helmCommand;
    this.javaBinary = javaBinary;
    this.tempRoot = tempRoot;
    this.credentials = credentials;
    this.freightImages = freightImages;
    this.credentialsOverHttp = credentialsOverHttp;
    this.helmWorkers = helmWorkers;
    this.helmIdleTimeout = helmIdleTimeout;
  }

  /**
   * {@code kustomize build} or, where only kubectl is there, {@code kubectl kustomize}.
   *
   * @throws StepException (terminal) when neither is found
   */
  List<String> kustomizeCommand() {
    if (kustomize != null) {
      return List.of(kustomize.toString(), "build");
    }
    if (kubectl != null) {
      return List.of(kubectl.toString(), "kustomize");
    }
    Optional<Path> onPath = findOnPath("kustomize");
    if (onPath.isPresent()) {
      return List.of(onPath.get().toString(), "build");
    }
    return findOnPath("kubectl").map(k -> List.of(k.toString(), "kustomize")).orElseThrow(() ->
        StepException.terminal("neither kustomize nor kubectl was found on PATH: install kustomize v5 (or kubectl "
            + "1.27 or later, whose 'kubectl kustomize' is kustomize v5), or set ManifestSteps.builder()"
            + ".kustomize(...) or .kubectl(...)"));
  }

  String helmCommand() {
    return helmCommand;
  }

  /** The Helm workers, and the folder they work in, made on first use. */
  synchronized HelmChild helm() {
    if (closed) {
      throw new IllegalStateException("the manifest steps were closed");
    }
    if (helm == null) {
      workspace = HelmWorkspace.create(tempRoot);
      helm = new HelmChild(workspace, javaBinary, helmWorkers, helmIdleTimeout);
    }
    return helm;
  }

  HelmCredentials helmCredentials(StepContext context) {
    return new HelmCredentials(credentials, credentialsOverHttp, context.masker());
  }

  FreightImageSource freightImages() {
    return freightImages;
  }

  static Optional<Path> findOnPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (helm != null) {
      helm.close();
    }
    if (workspace != null) {
      workspace.close();
    }
  }
}
