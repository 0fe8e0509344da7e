package io.promokit.steps.files;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 (an ephemeral port) for download tests; it records each request it gets.
 * Handlers can answer slowly, lie about the length, redirect, or stream a body of any size.
 */
final class TestHttpServer implements AutoCloseable {

  /** One request as the server saw it. */
  record Seen(String method, String path, String query, String authorization, String header) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  final List<Seen> requests = new CopyOnWriteArrayList<>();

  TestHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.start();
  }

  /** http://127.0.0.1:PORT + path */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The same server under the name localhost: another host as far as redirects are concerned. */
  String localhostUrl(String path) {
    return "http://localhost:" + server.getAddress().getPort() + path;
  }

  TestHttpServer handle(String path, HttpHandler handler) {
    server.createContext(path, exchange -> {
      requests.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
          exchange.getRequestHeaders().getFirst("X-Test")));
      try {
        handler.handle(exchange);
      } catch (IOException e) {
        // the client went away (timeouts, refused bodies): nothing to answer
      } finally {
        exchange.close();
      }
    });
    return this;
  }

  static HttpHandler text(int status, String body) {
    return exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    };
  }

  static HttpHandler redirect(int status, String location) {
    return exchange -> {
      exchange.getResponseHeaders().add("Location", location);
      exchange.sendResponseHeaders(status, -1);
    };
  }

  /** {@code size} bytes (a repeating pattern), with or without a Content-Length. */
  static HttpHandler bytes(long size, boolean announceLength) {
    return exchange -> {
      exchange.sendResponseHeaders(200, announceLength ? size : 0);
      byte[] block = new byte[64 * 1024];
      for (int i = 0; i < block.length; i++) {
        block[i] = (byte) i;
      }
      try (OutputStream out = exchange.getResponseBody()) {
        for (long left = size; left > 0; left -= block.length) {
          out.write(block, 0, (int) Math.min(block.length, left));
        }
      }
    };
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
