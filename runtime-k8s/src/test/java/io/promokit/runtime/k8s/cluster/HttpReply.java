package io.promokit.runtime.k8s.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** An HTTP/1.1 answer written by hand: a Kubernetes Status, or a chunked stream. */
public final class HttpReply {
  private final OutputStream out;
  private boolean started;
  private boolean finished;

  HttpReply(OutputStream out) {
    this.out = out;
  }

  /** Starts a chunked 200 answer. */
  public void startStream(String contentType) throws IOException {
    started = true;
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + contentType
        + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Sends one chunk at once. */
  public void write(byte[] bytes, int length) throws IOException {
    if (length == 0) {
      return;
    }
    out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes, 0, length);
    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Answers with a Kubernetes Status instead of a stream. */
  public void status(int code, String reason, String message) throws IOException {
    started = true;
    finished = true;
    status(out, code, reason, message, null);
  }

  void finish() throws IOException {
    if (started && !finished) {
      finished = true;
      out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
  }

  static void status(OutputStream out, int code, String reason, String message, Map<String, String> details)
      throws IOException {
    String detailJson = details == null ? "" : ",\"details\":{" + details.entrySet().stream()
        .map(e -> json(e.getKey()) + ":" + json(e.getValue())).collect(Collectors.joining(",")) + "}";
    String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
        + json(message) + ",\"reason\":" + json(reason) + detailJson + ",\"code\":" + code + "}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + code + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
        + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
  }

  private static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
