package io.promokit.spi;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * One running container (or Pod, or process). Close it in every case: closing removes the container and
 * everything the runtime made for it, and is idempotent.
 */
public interface ContainerHandle extends AutoCloseable {

  /** The runtime's id of the container (container id, Pod name, process id). */
  String id();

  /**
   * Waits until the container exits, at most {@code timeout}. Before it returns an exit, every output line
   * has been delivered to the request's {@link LogSink}.
   *
   * @return the exit, or empty when the container is still running after {@code timeout}
   * @throws ContainerRuntimeException when the runtime fails (daemon gone, Pod deleted, image pull
   *     error): retryable or terminal as the exception says
   * @throws InterruptedException when the waiting thread is interrupted (the container keeps running)
   */
  Optional<ContainerExit> await(Duration timeout) throws InterruptedException;

  /**
   * Stops the container: SIGTERM, then SIGKILL once {@code gracePeriod} has passed. Returns once it has
   * stopped (or the runtime gave up). Safe to call more than once and after exit.
   */
  void stop(Duration gracePeriod);

  /**
   * Reads the {@code KARGO_OUTPUT} file after the container exited, at most {@code maxBytes} of it.
   *
   * @return the file's content (empty when the command wrote nothing)
   * @throws ContainerRuntimeException when the file cannot be read for a reason of the step's own making
   *     (terminal: the command replaced it with a named pipe or a folder) or the runtime's (retryable)
   * @throws IOException when reading failed
   */
  CapturedFile readOutputFile(long maxBytes) throws IOException;

  /** Removes the container and what belongs to it. Never throws; safe to call more than once. */
  @Override
  void close();
}
