package io.promokit.runtime.docker;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Unix socket that forwards every connection to another one (the Docker daemon's). Closing it drops
 * every connection at once and removes the socket: to the runtime behind it, the daemon went away.
 */
final class SocketProxy implements AutoCloseable {

  private final Path socket;
  private final Path target;
  private final ServerSocketChannel server;
  private final List<SocketChannel> open = new ArrayList<>();
  private volatile boolean closed;

  SocketProxy(Path socket, Path target) throws IOException {
    this.socket = socket;
    this.target = target;
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread acceptor = new Thread(this::acceptLoop, "socket-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The proxy's address, for DOCKER_HOST. */
  String address() {
    return "unix://" + socket;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        SocketChannel client = server.accept();
        SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(target));
        synchronized (open) {
          open.add(client);
          open.add(upstream);
        }
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        if (!closed) {
          System.err.println("socket proxy: " + e);
        }
        return;
      }
    }
  }

  private static void pump(SocketChannel from, SocketChannel to) {
    Thread thread = new Thread(() -> {
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      try {
        while (from.read(buffer) >= 0) {
          buffer.flip();
          while (buffer.hasRemaining()) {
            to.write(buffer);
          }
          buffer.clear();
        }
        to.shutdownOutput();
      } catch (IOException e) {
        // One side went away: the other follows when the proxy closes.
      }
    }, "socket-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    synchronized (open) {
      for (SocketChannel channel : open) {
        channel.close();
      }
    }
    Files.deleteIfExists(socket);
  }
}
