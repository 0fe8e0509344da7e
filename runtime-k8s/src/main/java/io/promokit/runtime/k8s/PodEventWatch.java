package io.promokit.runtime.k8s;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch on the namespace's Events for all step Pods of a runtime, handing each Pod's events to its
 * handle. Events add detail (why a mount or a pull failed) to what the Pod status says; without them
 * (no permission to watch Events) the runtime still works, with terser messages.
 */
final class PodEventWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodEventWatch.class);
  private static final Duration RESTART_DELAY = Duration.ofSeconds(1);
  private static final Duration MAX_RESTART_DELAY = Duration.ofMinutes(1);

  private final KubernetesClient client;
  private final String namespace;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Consumer<Event>> subscribers = new ConcurrentHashMap<>();
  private Watch watch;
  private boolean started;
  private boolean closed;
  private int failures;

  PodEventWatch(KubernetesClient client, String namespace, ScheduledExecutorService scheduler) {
    this.client = client;
    this.namespace = namespace;
    this.scheduler = scheduler;
  }

  /** Hands the events of the named Pod to the consumer (from the watch's thread) until unsubscribed. */
  void subscribe(String podName, Consumer<Event> consumer) {
    subscribers.put(podName, consumer);
    ensureStarted();
  }

  void unsubscribe(String podName) {
    subscribers.remove(podName);
  }

  private void ensureStarted() {
    synchronized (this) {
      if (started || closed) {
        return;
      }
      started = true;
    }
    // the first time on the caller's thread, so that the first Pod's early events are seen
    startWatch();
  }

  /** Holds no lock while it talks to the API server (watch callbacks run on the client's I/O threads). */
  private void startWatch() {
    if (isClosed()) {
      return;
    }
    Watch opened;
    try {
      // start at the current version: no replay of the namespace's old events
      String version = client.v1().events().inNamespace(namespace)
          .list(new ListOptionsBuilder().withLimit(1L).build()).getMetadata().getResourceVersion();
      opened = client.v1().events().inNamespace(namespace)
          .watch(new ListOptionsBuilder().withResourceVersion(version).build(), new Watcher<>() {
            @Override
            public void eventReceived(Action action, Event event) {
              if (action == Action.ADDED || action == Action.MODIFIED) {
                // off the client's I/O thread: handles take locks
                try {
                  scheduler.execute(() -> deliver(event));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                  // the runtime is closing
                }
              }
            }

            @Override
            public void onClose(WatcherException cause) {
              LOG.debug("the Event watch in namespace {} closed: {}", namespace, cause.toString());
              restartLater();
            }
          });
    } catch (KubernetesClientException e) {
      if (e.getCode() == 401 || e.getCode() == 403) {
        LOG.warn("cannot watch Events in namespace {}, so step Pod messages will have less detail: {}", namespace,
            ApiCalls.describe(e));
        return;
      }
      LOG.debug("starting the Event watch in namespace {} failed: {}", namespace, e.toString());
      restartLater();
      return;
    }
    synchronized (this) {
      if (!closed) {
        watch = opened;
        failures = 0;
        return;
      }
    }
    opened.close();
  }

  private void restartLater() {
    long delay;
    synchronized (this) {
      if (closed) {
        return;
      }
      watch = null;
      delay = Math.min(MAX_RESTART_DELAY.toMillis(), RESTART_DELAY.toMillis() << Math.min(failures++, 6));
    }
    try {
      scheduler.schedule(this::startWatch, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the runtime is closing
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private void deliver(Event event) {
    ObjectReference about = event.getInvolvedObject();
    if (about == null || !"Pod".equals(about.getKind()) || about.getName() == null) {
      return;
    }
    Consumer<Event> consumer = subscribers.get(about.getName());
    if (consumer != null) {
      try {
        consumer.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("handling an Event of Pod {} failed", about.getName(), e);
      }
    }
  }

  @Override
  public void close() {
    Watch open;
    synchronized (this) {
      closed = true;
      open = watch;
      watch = null;
    }
    subscribers.clear();
    if (open != null) {
      open.close();
    }
  }
}
