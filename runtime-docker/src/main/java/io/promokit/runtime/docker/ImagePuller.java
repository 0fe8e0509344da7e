package io.promokit.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.RegistryCredential;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Checks whether an image is on the daemon and pulls it, with the credentials {@link RegistryAuth}
 * finds. Failures become {@link ContainerRuntimeException}s that name the image, the registry and the
 * registry's answer: terminal when the image is missing, its name invalid or the credentials refused;
 * retryable when the registry or the daemon could not be reached.
 */
final class ImagePuller {

  private final DockerClient client;
  private final RegistryAuth auth;
  private final String daemon;

  ImagePuller(DockerClient client, RegistryAuth auth, String daemon) {
    this.client = client;
    this.auth = auth;
    this.daemon = daemon;
  }

  /**
   * Whether the daemon has the image.
   *
   * @throws ContainerRuntimeException (retryable) when the daemon cannot be reached
   */
  boolean isPresent(ImageReference image) {
    try {
      client.inspectImageCmd(image.canonical()).exec();
      return true;
    } catch (RuntimeException e) {
      if (DaemonErrors.isNotFound(e)) {
        return false;
      }
      throw unreachableOr(e, "cannot check whether image \"" + image.text() + "\" is present");
    }
  }

  /**
   * Pulls the image. Returns early, without an error, when the pull was cancelled through the stream
   * handed to {@code onStream} (the caller then knows why).
   */
  void pull(ImageReference image, List<RegistryCredential> credentials, Consumer<StreamCallback<?>> onStream)
      throws InterruptedException {
    Optional<AuthConfig> credential = auth.find(image.registry(), credentials);
    PullProgress progress = new PullProgress();
    PullImageCmd command = client.pullImageCmd(image.repository()).withTag(image.tagOrDigest());
    credential.ifPresent(command::withAuthConfig);
    onStream.accept(progress);
    try {
      command.exec(progress);
      progress.awaitFinished(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      progress.close();
      throw e;
    } catch (Exception e) {
      if (progress.closedByUs()) {
        return;
      }
      if (!DaemonErrors.daemonAnswered(e)) {
        throw new ContainerRuntimeException("lost the Docker daemon at " + daemon + " while pulling image \""
            + image.text() + "\": " + DaemonErrors.message(e), true, e);
      }
      String answer = DaemonErrors.message(e);
      throw failure(image, credential, answer, DaemonErrors.isTerminalPullFailure(e, answer), e);
    } finally {
      onStream.accept(null);
    }
    if (progress.closedByUs()) {
      return;
    }
    String error = progress.error();
    if (error != null) {
      throw failure(image, credential, error, DaemonErrors.isTerminalPullMessage(error), null);
    }
  }

  private ContainerRuntimeException failure(ImageReference image, Optional<AuthConfig> credential, String answer,
      boolean terminal, Throwable cause) {
    if (!terminal) {
      // The registry was not reached or failed: how we would have logged in is beside the point.
      return new ContainerRuntimeException("cannot pull image \"" + image.text() + "\" from " + image.registry()
          + ", a network or registry error (worth retrying): " + answer, true, cause);
    }
    String how = credential.map(c -> c.getUsername() != null ? "as user \"" + c.getUsername() + "\"" : "with an identity token")
        .orElse("without credentials (none for " + image.registry() + " among the step's pull secrets or in "
            + auth.configFile() + ")");
    String message = "cannot pull image \"" + image.text() + "\" from " + image.registry() + " " + how + ": " + answer;
    return new ContainerRuntimeException(message, false, cause);
  }

  private ContainerRuntimeException unreachableOr(RuntimeException e, String what) {
    if (!DaemonErrors.daemonAnswered(e)) {
      return new ContainerRuntimeException("cannot reach the Docker daemon at " + daemon + ": "
          + DaemonErrors.message(e), true, e);
    }
    return new ContainerRuntimeException(what + ": the Docker daemon answered: " + DaemonErrors.message(e), true, e);
  }

  /** The pull's progress messages; keeps the error a message reports. */
  static final class PullProgress extends StreamCallback<PullResponseItem> {
    private volatile String error;

    @Override
    public void onNext(PullResponseItem item) {
      if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
        error = item.getErrorDetail().getMessage();
      } else if (item.getError() != null) {
        error = item.getError();
      }
    }

    String error() {
      return error;
    }
  }
}
