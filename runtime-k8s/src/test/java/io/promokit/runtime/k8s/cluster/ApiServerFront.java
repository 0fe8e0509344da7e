package io.promokit.runtime.k8s.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP front for fabric8's mock API server, on 127.0.0.1, doing what the mock cannot: it serves
 * Pod logs as a live stream (from the fake kubelet), answers 404 for namespaces that do not exist, tells
 * the kubelet the grace period of Pod deletions, injects faults (an HTTP error or a reset connection),
 * and can drop every open connection (watches included). Everything else goes to the mock as it is, one
 * request per connection, WebSocket upgrades piped both ways.
 */
public final class ApiServerFront implements AutoCloseable {

  /** Serves {@code GET .../pods/{name}/log}. */
  public interface LogServer {
    void serve(String namespace, String pod, Map<String, String> query, HttpReply reply) throws IOException;
  }

  /** Told about every Pod deletion before the mock sees it. */
  public interface DeleteListener {
    void deleting(String namespace, String pod, Long gracePeriodSeconds);
  }

  private static final Pattern NAMESPACED = Pattern.compile("/api/v1/namespaces/([^/?]+)(/.*)?");
  private static final Pattern LOG_PATH = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/log");
  private static final Pattern POD_PATH = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)");
  private static final Pattern GRACE = Pattern.compile("\"gracePeriodSeconds\"\\s*:\\s*(\\d+)");

  private final ServerSocket server;
  private final int upstreamPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile Set<String> namespaces;
  private volatile LogServer logs;
  private volatile DeleteListener deletes;
  private volatile boolean closed;

  public ApiServerFront(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "api-front-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  public void logServer(LogServer server) {
    this.logs = server;
  }

  public void deleteListener(DeleteListener listener) {
    this.deletes = listener;
  }

  /** Only these namespaces exist; requests into any other get the API server's 404. */
  public void namespaces(Set<String> names) {
    this.namespaces = Set.copyOf(names);
  }

  /** The status for {@link #failNext}: reset the connection before the request reaches the server. */
  public static final int RESET = 0;
  /** The status for {@link #failNext}: let the server handle the request, then reset before its answer. */
  public static final int LOSE_ANSWER = -1;

  /**
   * The next {@code times} requests with this method whose path matches fail: with that HTTP status, or
   * as {@link #RESET} or {@link #LOSE_ANSWER} say.
   */
  public void failNext(String method, String pathRegex, int times, int status) {
    failNext(method, pathRegex, times, status, "injected fault " + status);
  }

  /** As {@link #failNext(String, String, int, int)}, with the Status message the server gives. */
  public void failNext(String method, String pathRegex, int times, int status, String message) {
    faults.add(new Fault(method, Pattern.compile(pathRegex), times, status, message));
  }

  /** Closes every open connection, watches and log streams included. */
  public void dropConnections() {
    for (Socket s : List.copyOf(open)) {
      closeQuietly(s);
    }
  }

  /** How many requests had this method and a path (with query) matching the regex. */
  public long count(String method, String regex) {
    Pattern p = Pattern.compile(regex);
    return requests.stream().filter(r -> r.startsWith(method + " ") && p.matcher(r.substring(method.length() + 1)).find())
        .count();
  }

  /** Every request seen, as {@code METHOD target}. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    dropConnections();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        open.add(client);
        Thread t = new Thread(() -> handle(client), "api-front-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!closed) {
          System.err.println("api front: accept failed: " + e);
        }
      }
    }
  }

  private void handle(Socket client) {
    Socket upstream = null;
    try {
      InputStream in = client.getInputStream();
      Request request = Request.read(in);
      if (request == null) {
        return;
      }
      requests.add(request.method + " " + request.target);
      String path = request.path();
      Fault fault = takeFault(request.method, path);
      if (fault != null && fault.status != LOSE_ANSWER) {
        if (fault.status == RESET) {
          client.setSoLinger(true, 0);
          return;
        }
        HttpReply.status(client.getOutputStream(), fault.status, reason(fault.status), fault.message, null);
        return;
      }
      Matcher ns = NAMESPACED.matcher(path);
      Set<String> known = namespaces;
      if (ns.matches() && known != null && !known.contains(ns.group(1))) {
        HttpReply.status(client.getOutputStream(), 404, "NotFound", "namespaces \"" + ns.group(1) + "\" not found",
            Map.of("name", ns.group(1), "kind", "namespaces"));
        return;
      }
      Matcher log = LOG_PATH.matcher(path);
      if (log.matches() && request.method.equals("GET")) {
        LogServer server = logs;
        HttpReply reply = new HttpReply(client.getOutputStream());
        if (server == null) {
          HttpReply.status(client.getOutputStream(), 404, "NotFound", "no log server", null);
        } else {
          server.serve(log.group(1), log.group(2), request.query(), reply);
        }
        reply.finish();
        return;
      }
      Matcher pod = POD_PATH.matcher(path);
      if (pod.matches() && request.method.equals("DELETE") && deletes != null) {
        Matcher g = GRACE.matcher(new String(request.body, StandardCharsets.UTF_8));
        String q = request.query().get("gracePeriodSeconds");
        Long grace = g.find() ? Long.valueOf(g.group(1)) : q != null ? Long.valueOf(q) : null;
        deletes.deleting(pod.group(1), pod.group(2), grace);
      }
      upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
      open.add(upstream);
      OutputStream up = upstream.getOutputStream();
      up.write(request.head(!request.isUpgrade()));
      up.write(request.body);
      up.flush();
      if (fault != null) {
        // the server does the work; its answer is lost with the connection
        upstream.getInputStream().readAllBytes();
        client.setSoLinger(true, 0);
        return;
      }
      if (request.isUpgrade()) {
        Socket upSocket = upstream;
        Thread t = new Thread(() -> pipe(in, upSocket, client), "api-front-ws");
        t.setDaemon(true);
        t.start();
      }
      pipe(upstream.getInputStream(), client, upstream);
    } catch (IOException e) {
      // a dropped connection: nothing to do
    } finally {
      closeQuietly(client);
      if (upstream != null) {
        closeQuietly(upstream);
      }
    }
  }

  private Fault takeFault(String method, String path) {
    for (Fault f : faults) {
      synchronized (f) {
        if (f.remaining > 0 && f.method.equals(method) && f.path.matcher(path).find()) {
          f.remaining--;
          return f;
        }
      }
    }
    return null;
  }

  private void pipe(InputStream from, Socket to, Socket other) {
    byte[] buffer = new byte[16384];
    try {
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = from.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away
    } finally {
      closeQuietly(to);
      closeQuietly(other);
    }
  }

  private void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing anyway
    }
    if (c instanceof Socket s) {
      open.remove(s);
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 409 -> "AlreadyExists";
      case 429 -> "TooManyRequests";
      case 500 -> "InternalError";
      case 503 -> "ServiceUnavailable";
      default -> "Failure";
    };
  }

  private static final class Fault {
    final String method;
    final Pattern path;
    final int status;
    final String message;
    int remaining;

    Fault(String method, Pattern path, int remaining, int status, String message) {
      this.method = method;
      this.path = path;
      this.remaining = remaining;
      this.status = status;
      this.message = message;
    }
  }

  /** One HTTP/1.1 request as read from the client. */
  private static final class Request {
    final String method;
    final String target;
    final String version;
    final List<String[]> headers;
    final byte[] body;

    private Request(String method, String target, String version, List<String[]> headers, byte[] body) {
      this.method = method;
      this.target = target;
      this.version = version;
      this.headers = headers;
      this.body = body;
    }

    static Request read(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      int b;
      while (matched < 4 && (b = in.read()) >= 0) {
        head.write(b);
        matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
            ? matched + 1 : 0;
      }
      if (matched < 4) {
        return null;
      }
      String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      String[] first = lines[0].split(" ", 3);
      List<String[]> headers = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
        }
      }
      Request r = new Request(first[0], first[1], first.length > 2 ? first[2] : "HTTP/1.1", headers, new byte[0]);
      String length = r.header("Content-Length");
      byte[] body;
      if (length != null) {
        body = in.readNBytes(Integer.parseInt(length));
      } else if ("chunked".equalsIgnoreCase(r.header("Transfer-Encoding"))) {
        body = readChunkedRaw(in);
      } else {
        body = new byte[0];
      }
      return new Request(r.method, r.target, r.version, headers, body);
    }

    /** The chunked body as it came (it is forwarded as it is). */
    private static byte[] readChunkedRaw(InputStream in) throws IOException {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(in, raw);
        int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
        if (size == 0) {
          readLine(in, raw);
          return raw.toByteArray();
        }
        raw.write(in.readNBytes(size));
        readLine(in, raw);
      }
    }

    private static String readLine(InputStream in, ByteArrayOutputStream raw) throws IOException {
      StringBuilder line = new StringBuilder();
      int b;
      while ((b = in.read()) >= 0) {
        raw.write(b);
        if (b == '\n') {
          break;
        }
        if (b != '\r') {
          line.append((char) b);
        }
      }
      return line.toString();
    }

    String header(String name) {
      return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst().orElse(null);
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "upgrade", "http2-settings");

    boolean isUpgrade() {
      String upgrade = header("Upgrade");
      return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    String path() {
      int q = target.indexOf('?');
      return q < 0 ? target : target.substring(0, q);
    }

    Map<String, String> query() {
      Map<String, String> out = new LinkedHashMap<>();
      int q = target.indexOf('?');
      if (q < 0) {
        return out;
      }
      for (String pair : target.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.put(k, v);
      }
      return out;
    }

    /**
     * The request line and headers; with {@code close}, asking the server to close after its answer. Then the
     * hop-by-hop headers go, as a proxy drops them: among them an h2c upgrade offer ({@code Upgrade: h2c},
     * {@code HTTP2-Settings}, which the JDK's HTTP client sends on plain http), which this front, piping one
     * request per connection, cannot carry through.
     */
    byte[] head(boolean close) {
      StringBuilder sb = new StringBuilder(method + " " + target + " " + version + "\r\n");
      for (String[] h : headers) {
        if (close && HOP_BY_HOP.contains(h[0].toLowerCase(Locale.ROOT))) {
          continue;
        }
        sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
      }
      if (close) {
        sb.append("Connection: close\r\n");
      }
      sb.append("\r\n");
      return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
  }
}
