package io.promokit.steps.manifests.internal.helm;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The frames the host and a Helm worker exchange over pipes: a request is {@link Properties} text, a
 * response a kind byte and a text, each length-prefixed. Requests carry registry passwords: they go through
 * the worker's stdin, never its command line or a file.
 */
final class WorkerFrames {

  /** The worker is ready for requests (its text: the Helm library it loaded). */
  static final byte READY = 'R';
  /** The call succeeded; the text is Helm's output. */
  static final byte RESULT = 'O';
  /** Helm returned an error; the text is the message. */
  static final byte HELM_ERROR = 'E';
  /** The worker itself failed (it exits after sending this); the text says why. */
  static final byte WORKER_ERROR = 'X';

  /** The largest frame either side accepts (a rendered manifest can be large, but not this large). */
  static final int MAX_LENGTH = 512 * 1024 * 1024;

  /** One response of a worker. */
  record Response(byte kind, String text) {}

  private WorkerFrames() {}

  static void writeRequest(DataOutputStream out, Properties request) throws IOException {
    StringWriter text = new StringWriter();
    request.store(text, null);
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
    out.flush();
  }

  /** The next request, or null at the end of the stream (the host closed the pipe or died). */
  static Properties readRequest(DataInputStream in) throws IOException {
    byte[] bytes = readBody(in, false);
    if (bytes == null) {
      return null;
    }
    Properties request = new Properties();
    request.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
    return request;
  }

  static void writeResponse(DataOutputStream out, byte kind, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeByte(kind);
    out.writeInt(bytes.length);
    out.write(bytes);
    out.flush();
  }

  /** The next response, or null at the end of the stream (the worker exited). */
  static Response readResponse(DataInputStream in) throws IOException {
    int kind = in.read();
    if (kind < 0) {
      return null;
    }
    byte[] bytes = readBody(in, true);
    return new Response((byte) kind, new String(bytes, StandardCharsets.UTF_8));
  }

  private static byte[] readBody(DataInputStream in, boolean midFrame) throws IOException {
    int length;
    try {
      length = in.readInt();
    } catch (EOFException e) {
      if (midFrame) {
        throw e;
      }
      return null;
    }
    if (length < 0 || length > MAX_LENGTH) {
      throw new IOException("a frame of " + length + " bytes: the pipe is out of step");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }
}
