package io.promokit.cli;

import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.ContainerSelector;
import io.promokit.spi.LogSink;
import io.promokit.spi.ManagedContainer;
import java.util.List;
import java.util.Map;

/**
 * The runtime {@code --runtime auto} picked, with the images Docker could not get before the promotion started:
 * a step using one of them fails at once with the reason and the way to run its command on this host
 * ({@code --runtime local}) instead of pulling again or, worse, running the command on the host unasked.
 */
final class UnreachableImages implements ContainerRuntime {

  private final ContainerRuntime runtime;
  private final Map<String, String> reasons;

  /** Wraps the runtime; {@code reasons} maps each unreachable image to why it could not be had. */
  UnreachableImages(ContainerRuntime runtime, Map<String, String> reasons) {
    this.runtime = runtime;
    this.reasons = Map.copyOf(reasons);
  }

  /** The message a step using an unreachable image fails with. */
  static String message(String image, String reason) {
    return "Docker cannot get image " + image + ": " + reason + "; --runtime auto does not run the step's command on"
        + " this host instead: use --runtime local for that (the image is ignored, no isolation)";
  }

  @Override
  public String name() {
    return runtime.name();
  }

  @Override
  public ContainerHandle start(ContainerRequest request, LogSink logs) {
    String reason = reasons.get(request.image());
    if (reason != null) {
      throw ContainerRuntimeException.terminal(message(request.image(), reason));
    }
    return runtime.start(request, logs);
  }

  @Override
  public int reap(String engineId) {
    return runtime.reap(engineId);
  }

  @Override
  public List<ManagedContainer> list(ContainerSelector selector) {
    return runtime.list(selector);
  }

  @Override
  public int reap(ContainerSelector selector) {
    return runtime.reap(selector);
  }

  @Override
  public void close() {
    runtime.close();
  }
}
