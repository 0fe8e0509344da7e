package io.promokit.testkit.gitops;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A TLS context with a self-signed certificate for 127.0.0.1, made by the JDK's keytool into a folder. */
final class SelfSignedTls {

  private static final char[] PASSWORD = "promokit-test".toCharArray();

  private SelfSignedTls() {}

  static SSLContext context(Path dir) {
    try {
      Files.createDirectories(dir);
      Path keystore = dir.resolve("server.p12");
      if (!Files.exists(keystore)) {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        TestGit.Result made = FixtureProcess.run(List.of(keytool, "-genkeypair", "-alias", "git", "-keyalg", "EC",
            "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
            "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", new String(PASSWORD),
            "-keypass", new String(PASSWORD)), null, Map.of(), null, "keytool comes with the JDK");
        if (made.exitCode() != 0) {
          throw new IllegalStateException("keytool failed: " + made.stdout() + made.stderr());
        }
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        store.load(in, PASSWORD);
      }
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the test server's TLS certificate in " + dir, e);
    }
  }
}
