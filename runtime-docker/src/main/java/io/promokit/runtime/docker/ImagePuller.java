package io.promokit.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.RegistryCredential;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Checks whether an image is on the daemon and pulls it, with the credentials {@link RegistryAuth}
 * finds. Failures become {@link ContainerRuntimeException}s that name the image, the registry and the
 * registry's answer: terminal when the image is missing, its name invalid or the credentials refused;
 * retryable when the registry or the daemon could not be reached.
 *
 * <p>Every pull is bounded, whether or not the step has a timeout: a pull whose progress stream stays
 * silent for the stall timeout (a registry that answered and then stopped sending), or that takes longer
 * than the pull timeout in all, is cancelled (the daemon drops a pull nobody follows) with a retryable
 * error.
 */
final class ImagePuller {

  private final DockerClient client;
  private final RegistryAuth auth;
  private final String daemon;
  private final DaemonCalls calls;
  private final Duration stallTimeout;
  private final Duration pullTimeout;

  ImagePuller(DockerClient client, RegistryAuth auth, String daemon, DaemonCalls calls, Duration stallTimeout,
      Duration pullTimeout) {
    this.client = client;
    this.auth = auth;
    this.daemon = daemon;
    this.calls = calls;
    this.stallTimeout = stallTimeout;
    this.pullTimeout = pullTimeout;
  }

  /**
   * Whether the daemon has the image.
   *
   * @throws ContainerRuntimeException (retryable) when the daemon cannot be reached
   */
  boolean isPresent(ImageReference image) {
    try {
      calls.call("inspect image " + image.text(), () -> client.inspectImageCmd(image.canonical()).exec());
      return true;
    } catch (ContainerRuntimeException e) {
      throw e;
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
      awaitBounded(image, progress);
    } catch (InterruptedException e) {
      progress.close();
      throw e;
    } catch (ContainerRuntimeException e) {
      throw e; // our own bound
    } catch (Exception e) {
      if (progress.closedByUs()) {
        return;
      }
      if (!DaemonErrors.daemonAnswered(e)) {
        throw ContainerRuntimeException.retryable("lost the Docker daemon at " + daemon + " while pulling image \""
            + image.text() + "\": " + DaemonErrors.message(e), e);
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

  /** Waits for the pull, cancelling it when its progress stalls or it takes too long. */
  private void awaitBounded(ImageReference image, PullProgress progress) throws Exception {
    long start = System.nanoTime();
    while (!progress.awaitFinished(Math.min(stallTimeout.toNanos(), SLICE_NANOS), TimeUnit.NANOSECONDS)) {
      long now = System.nanoTime();
      String why = null;
      if (now - progress.lastHeard() >= stallTimeout.toNanos()) {
        why = "stalled: the Docker daemon at " + daemon + " reported no progress for " + DaemonCalls.seconds(stallTimeout)
            + " (a registry that stopped answering?)";
      } else if (now - start >= pullTimeout.toNanos()) {
        why = "did not finish within " + DaemonCalls.seconds(pullTimeout);
      }
      if (why != null) {
        progress.close();
        throw ContainerRuntimeException.retryable("pulling image \"" + image.text() + "\" from " + image.registry() + " " + why
            + "; the pull was cancelled (worth retrying)");
      }
    }
  }

  private static final long SLICE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private ContainerRuntimeException failure(ImageReference image, Optional<AuthConfig> credential, String answer,
      boolean terminal, Throwable cause) {
    if (!terminal) {
      // The registry was not reached or failed: how we would have logged in is beside the point.
      return ContainerRuntimeException.retryable("cannot pull image \"" + image.text() + "\" from " + image.registry()
          + ", a network or registry error (worth retrying): " + answer, cause);
    }
    String how = credential.map(c -> c.getUsername() != null ? "as user \"" + c.getUsername() + "\"" : "with an identity token")
        .orElse("without credentials (none for " + image.registry() + " among the step's pull secrets or in "
            + auth.configFile() + ")");
    String message = "cannot pull image \"" + image.text() + "\" from " + image.registry() + " " + how + ": " + answer;
    return ContainerRuntimeException.terminal(message, cause);
  }

  private ContainerRuntimeException unreachableOr(RuntimeException e, String what) {
    if (!DaemonErrors.daemonAnswered(e)) {
      return ContainerRuntimeException.retryable("cannot reach the Docker daemon at " + daemon + ": "
          + DaemonErrors.message(e), e);
    }
    return ContainerRuntimeException.retryable(what + ": the Docker daemon answered: " + DaemonErrors.message(e), e);
  }

  /** The pull's progress messages; keeps the error a message reports, and when the daemon last said something. */
  static final class PullProgress extends StreamCallback<PullResponseItem> {
    private volatile String error;
    private volatile long lastHeard = System.nanoTime();

    /** When the last progress message (or the response's start) came, in {@link System#nanoTime()}. */
    long lastHeard() {
      return lastHeard;
    }

    @Override
    public void onStart(java.io.Closeable stream) {
      lastHeard = System.nanoTime();
      super.onStart(stream);
    }

    @Override
    public void onNext(PullResponseItem item) {
      lastHeard = System.nanoTime();
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
