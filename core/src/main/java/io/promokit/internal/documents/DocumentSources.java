package io.promokit.internal.documents;

import io.promokit.documents.DocumentException;
import io.promokit.documents.SourceLocation;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Reads documents' text from streams, URLs and class path resources, and names them for messages. */
public final class DocumentSources {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private DocumentSources() {}

  /** The stream's text (UTF-8), to its end. */
  public static String readAll(InputStream in, String sourceName) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw unreadable(sourceName, e);
    }
  }

  /** The text at a URL; an HTTP status other than 200 is an error. */
  public static String read(URL url, String sourceName) {
    try {
      URLConnection connection = url.openConnection();
      connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      connection.setReadTimeout((int) READ_TIMEOUT.toMillis());
      connection.setUseCaches(false); // a jar: URL must not keep the jar open after the read
      if (connection instanceof HttpURLConnection http) {
        try {
          http.setInstanceFollowRedirects(true);
          int status = http.getResponseCode();
          if (status != HttpURLConnection.HTTP_OK) {
            throw new DocumentException(new SourceLocation(sourceName, 0, 0), null,
                "cannot read: the server answered HTTP " + status);
          }
          try (InputStream in = http.getInputStream()) {
            return readAll(in, sourceName);
          }
        } finally {
          http.disconnect();
        }
      }
      try (InputStream in = connection.getInputStream()) {
        return readAll(in, sourceName);
      }
    } catch (IOException e) {
      throw unreadable(sourceName, e);
    }
  }

  /** The URL as messages show it: without a user or password. */
  public static String nameOf(URL url) {
    if (url.getUserInfo() == null) {
      return url.toString();
    }
    try {
      URI uri = url.toURI();
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
          uri.getFragment()).toString();
    } catch (URISyntaxException e) {
      return url.getProtocol() + "://" + url.getHost() + url.getPath();
    }
  }

  /** {@code classpath:} and the resource's absolute path, resolved as {@link Class#getResource} resolves it. */
  public static String resourceName(Class<?> anchor, String name) {
    if (name.startsWith("/")) {
      return "classpath:" + name.substring(1);
    }
    String pkg = anchor.getPackageName();
    return "classpath:" + (pkg.isEmpty() ? "" : pkg.replace('.', '/') + "/") + name;
  }

  private static DocumentException unreadable(String sourceName, IOException e) {
    String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new DocumentException(new SourceLocation(sourceName, 0, 0), null, "cannot read: " + what, e);
  }
}
