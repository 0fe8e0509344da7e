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

  /** Releases the runtime's connections. Containers still running are not touched. */
  @Override
  default void close() {}
}
