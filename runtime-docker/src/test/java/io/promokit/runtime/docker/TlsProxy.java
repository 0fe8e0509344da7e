package io.promokit.runtime.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS endpoint on 127.0.0.1 that demands a client certificate signed by a given CA, as {@code dockerd --tlsverify}
 * does, and forwards each connection to the daemon's Unix socket. Remembers the client certificates it saw.
 */
final class TlsProxy implements AutoCloseable {

  static final String PASSWORD = "promokit-test";

  private final SSLServerSocket server;
  private final Path target;
  private final Set<String> clients = ConcurrentHashMap.newKeySet();
  private final List<Socket> open = new ArrayList<>();
  private volatile boolean closed;

  private TlsProxy(SSLServerSocket server, Path target) {
    this.server = server;
    this.target = target;
  }

  static TlsProxy start(Path serverP12, Path caPem, Path target) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(serverP12)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, PASSWORD.toCharArray());
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);

    SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    server.setNeedClientAuth(true);
    TlsProxy proxy = new TlsProxy(server, target);
    Thread acceptor = new Thread(proxy::acceptLoop, "tls-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return proxy;
  }

  int port() {
    return server.getLocalPort();
  }

  /** The subjects of the client certificates that completed a handshake. */
  Set<String> clients() {
    return Set.copyOf(clients);
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        SSLSocket client = (SSLSocket) server.accept();
        Thread handshake = new Thread(() -> forward(client), "tls-proxy-connection");
        handshake.setDaemon(true);
        handshake.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void forward(SSLSocket client) {
    try {
      client.startHandshake();
      clients.add(client.getSession().getPeerPrincipal().getName());
      SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(target));
      synchronized (open) {
        open.add(client);
      }
      // The channel is used directly, not through Channels' streams: those lock the channel for a read, and a
      // read waiting for the daemon would block the write of the client's request.
      InputStream fromClient = client.getInputStream();
      pump(buffer -> fromClient.read(buffer), (buffer, n) -> upstream.write(ByteBuffer.wrap(buffer, 0, n)),
          upstream::shutdownOutput);
      OutputStream toClient = client.getOutputStream();
      // TLS has no half-close: when the daemon ends the connection, the client's ends too.
      pump(buffer -> upstream.read(ByteBuffer.wrap(buffer)), (buffer, n) -> {
        toClient.write(buffer, 0, n);
        toClient.flush();
      }, client::close);
    } catch (IOException e) {
      try {
        client.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }

  private interface Shutdown {
    void run() throws IOException;
  }

  private interface Reader {
    int read(byte[] buffer) throws IOException;
  }

  private interface Writer {
    void write(byte[] buffer, int length) throws IOException;
  }

  private static void pump(Reader from, Writer to, Shutdown done) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try {
        for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
          to.write(buffer, n);
        }
        done.run();
      } catch (IOException | UnsupportedOperationException e) {
        // one side went away
      }
    }, "tls-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    synchronized (open) {
      for (Socket socket : open) {
        socket.close();
      }
    }
  }
}
