package io.promokit.runtime.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry on 127.0.0.1 that answers the API check ({@code GET /v2/}) as a registry does, then takes
 * every other request (the manifest) and never answers it: the connection stays open and silent, as with
 * a registry that hangs. Counts the requests it held. Closing it drops every connection.
 */
final class StallingRegistry implements AutoCloseable {

  private final ServerSocket server;
  private final List<Socket> held = new ArrayList<>();
  private final AtomicInteger stalled = new AtomicInteger();
  private volatile boolean closed;

  StallingRegistry() throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::acceptLoop, "stalling-registry");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code 127.0.0.1:<port>}. */
  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** How many requests it took and never answered. */
  int stalledRequests() {
    return stalled.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        Thread handler = new Thread(() -> serve(socket), "stalling-registry-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    synchronized (held) {
      held.add(socket);
    }
    try (Socket closing = socket;
        InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream()) {
      in.mark(1);
      if (in.read() == 0x16) {
        // A TLS handshake: the daemon tries HTTPS first and, for 127.0.0.1 (insecure by default), falls back
        // to plain HTTP when the connection closes.
        return;
      }
      in.reset();
      while (!closed) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String requestLine = head.lines().findFirst().orElse("");
        if (requestLine.matches("(GET|HEAD) /v2/? HTTP/1\\.[01]")) {
          byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
              + "Docker-Distribution-API-Version: registry/2.0\r\nContent-Length: " + body.length + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          if (requestLine.startsWith("GET")) {
            out.write(body);
          }
          out.flush();
          continue;
        }
        stalled.incrementAndGet();
        // Never answer: hold the connection until the client gives up or the registry closes.
        while (!closed && in.read() >= 0) {
          // Drain whatever else comes.
        }
        return;
      }
    } catch (IOException e) {
      // The client went away.
    }
  }

  /** Reads up to the blank line ending the request head; null at the end of the stream. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        return head.toString();
      }
      if (head.length() > 64 * 1024) {
        throw new IOException("request head too long");
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    synchronized (held) {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }
}
