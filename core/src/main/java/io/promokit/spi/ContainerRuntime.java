package io.promokit.spi;

/**
 * Runs container steps: one container per attempt. Implementations: Docker
 * ({@code io.promokit.runtime.docker.DockerContainerRuntime}), Kubernetes
 * ({@code io.promokit.runtime.k8s.KubernetesContainerRuntime}), and local processes for development
 * ({@link io.promokit.runtime.LocalProcessRuntime}). Thread-safe: one runtime serves many promotions.
 * Every runtime passes the testkit's {@code ContainerRuntimeContractTest}.
 */
public interface ContainerRuntime extends AutoCloseable {

  /** A short name for records and messages: {@code docker}, {@code kubernetes}, {@code local}. */
  String name();

  /**
   * Starts a container for the request and returns at once (the image may still be pulling).
   *
   * @param logs receives every stdout/stderr line as it comes
   * @throws ContainerRuntimeException when the container cannot be started (image missing or
   *     unauthorized: terminal; runtime unreachable: retryable); nothing is left behind
   */
  ContainerHandle start(ContainerRequest request, LogSink logs);

  /**
   * Removes every container (and what belongs to it) labelled with the given engine id: the leftovers of
   * a host that died mid-step.
   *
   * @return how many containers were removed
   */
  int reap(String engineId);

  /**
   * The containers (or Pods) this runtime's backend holds that promokit made and the selector matches,
   * running or not: what {@link #reap(ContainerSelector)} would remove (a dry run).
   *
   * @throws UnsupportedOperationException when the runtime cannot list them
   * @throws ContainerRuntimeException (retryable) when its backend cannot be reached
   */
  default java.util.List<ManagedContainer> list(ContainerSelector selector) {
    throw new UnsupportedOperationException("the " + name() + " runtime cannot list the containers promokit made");
  }

  /**
   * Removes what the selector matches, as {@link #reap(String)} does for one engine (stopping what runs,
   * and what belongs to each container).
   *
   * @return how many containers were removed
   * @throws UnsupportedOperationException when the runtime can reap only by engine id and the selector
   *     names none, or also an age
   */
  default int reap(ContainerSelector selector) {
    if (selector.engineId().isPresent() && selector.createdBeforeMoment().isEmpty()) {
      return reap(selector.engineId().get());
    }
    throw new UnsupportedOperationException("the " + name() + " runtime can reap only by engine id, not " + selector);
  }

  /** Releases the runtime's connections. Containers still running are not touched. */
  @Override
  default void close() {}
}
