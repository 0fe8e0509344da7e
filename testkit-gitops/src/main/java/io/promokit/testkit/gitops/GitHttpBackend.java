package io.promokit.testkit.gitops;

import com.sun.net.httpserver.HttpExchange;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * git's own {@code git http-backend}, run as a CGI program for one smart-HTTP request, serving the bare
 * repositories under a root folder. Shared by {@link GitHttpServer} and {@link GitProviderFake}; tracks the
 * backends it started so that {@link #close()} stops every one still running.
 */
final class GitHttpBackend implements AutoCloseable {

  private final Path root;
  private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
  private final Set<Process> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * Stops the backends when the JVM exits without {@link #close()} (a test that leaves its server open, a test
   * JVM ending mid-request): a backend left behind after its client went away spun at full CPU for good.
   */
  private final Thread stopAtExit = new Thread(this::stopAll, "git-http-backend-stop-at-exit");

  GitHttpBackend(Path root) {
    this.root = root.toAbsolutePath();
    Runtime.getRuntime().addShutdownHook(stopAtExit);
  }

  /** Whether a request is a push ({@code git-receive-pack}). */
  static boolean isPush(String path, String query) {
    return path.endsWith("/git-receive-pack") || query.contains("service=git-receive-pack");
  }

  /** What {@code git http-backend} printed on stderr. */
  List<String> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }

  /**
   * Answers one request of an authenticated (or anonymous, {@code user} null) client.
   *
   * @return the status the backend answered
   */
  int serve(HttpExchange exchange, String method, String rawPath, String query, String user) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
    Map<String, String> env = pb.environment();
    env.clear();
    env.putAll(TestGit.cleanEnvironment());
    env.put("GIT_PROJECT_ROOT", root.toString());
    env.put("GIT_HTTP_EXPORT_ALL", "1");
    env.put("GATEWAY_INTERFACE", "CGI/1.1");
    env.put("SERVER_PROTOCOL", "HTTP/1.1");
    env.put("REQUEST_METHOD", method);
    env.put("PATH_INFO", URLDecoder.decode(rawPath, StandardCharsets.UTF_8));
    env.put("QUERY_STRING", query);
    env.put("REMOTE_ADDR", "127.0.0.1");
    if (user != null) {
      env.put("REMOTE_USER", user);
    }
    copyHeader(exchange, "Content-Type", env, "CONTENT_TYPE");
    copyHeader(exchange, "Content-Length", env, "CONTENT_LENGTH");
    copyHeader(exchange, "Content-Encoding", env, "HTTP_CONTENT_ENCODING");
    copyHeader(exchange, "Git-Protocol", env, "GIT_PROTOCOL");
    Process process = pb.start();
    running.add(process);
    if (closed) {
      process.destroyForcibly(); // the server closed while this request waited (a test's hook): end it
    }
    Thread stderr = new Thread(() -> collectErrors(process.getErrorStream()), "git-http-backend-stderr");
    stderr.setDaemon(true);
    stderr.start();
    Thread body = new Thread(() -> {
      try (InputStream in = exchange.getRequestBody(); OutputStream out = process.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException ignored) {
        // the backend stopped reading; its answer says why
      }
    }, "git-http-backend-stdin");
    body.setDaemon(true);
    body.start();
    try (InputStream out = new BufferedInputStream(process.getInputStream())) {
      Map<String, String> headers = readCgiHeaders(out);
      int status = 200;
      String statusLine = headers.remove("status");
      if (statusLine != null) {
        status = Integer.parseInt(statusLine.trim().split(" ")[0]);
      }
      headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      exchange.sendResponseHeaders(status, 0);
      try (OutputStream response = exchange.getResponseBody()) {
        out.transferTo(response);
      }
      return status;
    } finally {
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
        stderr.join(5_000);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      } finally {
        if (!process.isAlive()) {
          running.remove(process);
        }
      }
    }
  }

  /** Stops every backend still running and waits for them. */
  @Override
  public void close() {
    closed = true;
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(stopAtExit);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook runs anyway
    }
  }

  private void stopAll() {
    for (Process backend : running) {
      backend.descendants().forEach(ProcessHandle::destroyForcibly);
      backend.destroyForcibly();
    }
    try {
      for (Process backend : running) {
        backend.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void copyHeader(HttpExchange exchange, String header, Map<String, String> env, String variable) {
    String value = exchange.getRequestHeaders().getFirst(header);
    if (value != null) {
      env.put(variable, value);
    }
  }

  private void collectErrors(InputStream stderr) {
    try (stderr) {
      String text = new String(stderr.readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!text.isEmpty()) {
        errors.add(text);
      }
    } catch (IOException ignored) {
      // nothing more to read
    }
  }

  /** Reads CGI response headers up to the blank line; the status header's key is {@code status}. */
  private static Map<String, String> readCgiHeaders(InputStream in) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    while (true) {
      String line = readLine(in);
      if (line == null || line.isEmpty()) {
        return headers;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        String name = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        headers.put(name.equalsIgnoreCase("Status") ? "status" : name, value);
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    if (c < 0 && line.size() == 0) {
      return null;
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }
}
