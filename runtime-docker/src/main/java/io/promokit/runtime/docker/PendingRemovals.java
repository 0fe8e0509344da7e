package io.promokit.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containers this runtime made and could not remove because the daemon did not answer (killed,
 * restarting, frozen): reconciled as soon as it answers again. One thread per runtime tries while the
 * list is not empty, with backoff (0.5 s doubling to 8 s between tries), and removes each container by
 * name with force: a container still running is killed, so a step that timed out against a frozen daemon
 * does not run on once the daemon wakes up. A container the daemon no longer knows is done with. The list
 * is this runtime's memory only; a host that dies meanwhile leaves them to {@code reap}, like any
 * leftover (each carries its engine label).
 */
final class PendingRemovals {

  private static final Logger LOG = LoggerFactory.getLogger(PendingRemovals.class);

  private final DockerClient client;
  private final DaemonCalls calls;
  private final ExecutorService threads;
  private final Set<String> names = new LinkedHashSet<>();
  private boolean working;
  private boolean closed;

  PendingRemovals(DockerClient client, DaemonCalls calls, ExecutorService threads) {
    this.client = client;
    this.calls = calls;
    this.threads = threads;
  }

  /** Remembers a container (by name) to remove once the daemon answers, and starts trying. */
  void add(String containerName) {
    synchronized (this) {
      if (closed) {
        LOG.warn("container {} could not be removed (the Docker daemon did not answer) and this runtime is closed; "
            + "DockerContainerRuntime.reap removes it later", containerName);
        return;
      }
      names.add(containerName);
      if (working) {
        return;
      }
      working = true;
    }
    try {
      threads.execute(this::work);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        working = false;
      }
    }
  }

  /** The names still waiting to be removed. */
  synchronized List<String> pending() {
    return List.copyOf(names);
  }

  /**
   * One last try for what is pending (each call bounded); what still cannot be removed is logged for
   * {@code reap}. The thread stops.
   */
  void close() {
    List<String> left;
    synchronized (this) {
      closed = true;
      left = List.copyOf(names);
    }
    if (!left.isEmpty() && calls.answers()) {
      left.forEach(this::removeOne);
    }
    for (String name : pending()) {
      LOG.warn("container {} could not be removed: the Docker daemon did not answer; DockerContainerRuntime.reap "
          + "removes it later", name);
    }
  }

  private void work() {
    for (int tries = 1; ; tries++) {
      List<String> batch;
      synchronized (this) {
        if (names.isEmpty() || closed) {
          working = false;
          return;
        }
        batch = List.copyOf(names);
      }
      if (calls.answers()) {
        batch.forEach(this::removeOne);
        tries = 1; // It answers: a container still in the list is being removed; look again soon.
      }
      try {
        TimeUnit.MILLISECONDS.sleep(DaemonCalls.restartBackoff(tries).toMillis());
      } catch (InterruptedException e) {
        synchronized (this) {
          working = false;
        }
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void removeOne(String name) {
    try {
      calls.run("remove container " + name,
          () -> client.removeContainerCmd(name).withForce(true).withRemoveVolumes(true).exec());
      LOG.info("removed container {}, which the Docker daemon could not remove while it did not answer", name);
      done(name);
    } catch (RuntimeException e) {
      if (DaemonErrors.isNotFound(e)) {
        done(name);
      } else if (DaemonErrors.daemonAnswered(e)) {
        // Removal in progress (409) or refused: try again later, the daemon answers.
        LOG.debug("removing container {} failed, trying again: {}", name, DaemonErrors.message(e));
      }
    }
  }

  private synchronized void done(String name) {
    names.remove(name);
  }
}
