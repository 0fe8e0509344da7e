package io.promokit.runtime.k8s.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * fabric8's CRUD dispatcher, with watches that a client can close while events for them are being sent.
 *
 * <p>In kubernetes-server-mock 7.9 each watch sends its events from a thread of its own, which waits (up to
 * 30 s) until the Vert.x event loop of the connection has written the frame; and the watch's close, which
 * Vert.x runs on that same event loop, waits for that thread to finish. A client that closed a watch just as
 * an event for it went out (the runtime closes its Pod watch and deletes the Pod) froze that event loop,
 * and every API request it served, for 30 s. Besides, an event dispatched after the closing watch stopped
 * its thread but before it unregistered failed the request that caused it, and the watches after it in
 * line never got the event.
 *
 * <p>Here each watch sends through a socket that only queues the frame for a writer thread of the
 * connection (so nothing a watch does waits for an event loop), and a watch is closed while no event is
 * being dispatched.
 */
final class WatchSafeCrudDispatcher extends KubernetesCrudDispatcher {
  /** Held while an event is dispatched to the watches, and while a watch closes. */
  private final Object dispatching = new Object();

  @Override
  public MockResponse handleWatch(String path) {
    MockResponse response = super.handleWatch(path);
    WebSocketListener watch = response.getWebSocketListener();
    return watch == null ? response : response.withWebSocketUpgrade(new SafeWatch(watch));
  }

  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    synchronized (dispatching) {
      super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    }
  }

  /** The mock's watch, given a {@link QueuedSocket} and closed only between two event dispatches. */
  private final class SafeWatch extends WebSocketListener {
    private final WebSocketListener watch;
    private QueuedSocket socket;

    SafeWatch(WebSocketListener watch) {
      this.watch = watch;
    }

    private synchronized QueuedSocket socket(WebSocket connection) {
      if (socket == null) {
        socket = new QueuedSocket(connection);
      }
      return socket;
    }

    @Override
    public void onBeforeAccept(WebSocket connection, Response response) {
      watch.onBeforeAccept(socket(connection), response);
    }

    @Override
    public void onOpen(WebSocket connection, Response response) {
      watch.onOpen(socket(connection), response);
    }

    @Override
    public void onMessage(WebSocket connection, String text) {
      watch.onMessage(socket(connection), text);
    }

    @Override
    public void onMessage(WebSocket connection, ByteString bytes) {
      watch.onMessage(socket(connection), bytes);
    }

    @Override
    public void onMessage(WebSocket connection, byte[] bytes) {
      watch.onMessage(socket(connection), bytes);
    }

    @Override
    public void onClosing(WebSocket connection, int code, String reason) {
      watch.onClosing(socket(connection), code, reason);
    }

    @Override
    public void onClosed(WebSocket connection, int code, String reason) {
      // quick now that its sends only queue; under the lock, no event meets it stopped but still registered
      synchronized (dispatching) {
        watch.onClosed(socket(connection), code, reason);
      }
    }

    @Override
    public void onFailure(WebSocket connection, Throwable failure, Response response) {
      synchronized (dispatching) {
        watch.onFailure(socket(connection), failure, response);
      }
    }
  }

  /**
   * A connection whose frames, and close, are written in order by a thread of its own, so that sending
   * never waits for the event loop. Frames after the close are dropped, as the closed connection would.
   */
  private static final class QueuedSocket implements WebSocket {
    private final WebSocket connection;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mock-api-watch-writer");
      t.setDaemon(true);
      return t;
    });

    QueuedSocket(WebSocket connection) {
      this.connection = connection;
    }

    @Override
    public RecordedRequest request() {
      return connection.request();
    }

    @Override
    public boolean send(String text) {
      return queue(() -> connection.send(text));
    }

    @Override
    public boolean send(byte[] bytes) {
      return queue(() -> connection.send(bytes));
    }

    @Override
    public boolean close(int code, String reason) {
      boolean queued = queue(() -> connection.close(code, reason));
      writer.shutdown();
      return queued;
    }

    private boolean queue(Runnable write) {
      try {
        writer.execute(write);
        return true;
      } catch (RejectedExecutionException e) {
        return false; // closed
      }
    }
  }
}
