package io.promokit.runtime.docker;

import com.github.dockerjava.core.SSLConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Mutual TLS to a Docker daemon from a folder laid out as the docker CLI expects it ({@code DOCKER_CERT_PATH}:
 * {@code ca.pem}, {@code cert.pem}, {@code key.pem}), with the JDK's own crypto.
 *
 * <p>docker-java's {@code LocalDirectorySSLConfig} does the same with BouncyCastle (three jars, about 10 MB) and
 * registers it as a JVM-wide security provider; reading PEM files needs neither. The key may be PKCS#8
 * ({@code PRIVATE KEY}, RSA or EC), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}),
 * unencrypted, as {@code docker-machine}, {@code openssl genrsa} and {@code openssl ecparam -genkey} write them.
 * The files are read each time a context is made, never kept.
 */
final class DockerTls implements SSLConfig {

  static final List<String> FILES = List.of("ca.pem", "cert.pem", "key.pem");
  private static final char[] IN_MEMORY_PASSWORD = "promokit".toCharArray();

  private final Path directory;

  private DockerTls(Path directory) {
    this.directory = directory;
  }

  /**
   * TLS with the files in {@code directory}.
   *
   * @throws IllegalArgumentException naming the files that are missing
   */
  static DockerTls of(Path directory) {
    Objects.requireNonNull(directory, "directory must not be null");
    List<String> missing = FILES.stream().filter(f -> !Files.isRegularFile(directory.resolve(f))).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("Docker TLS folder " + directory + " must hold " + String.join(", ", FILES)
          + "; missing: " + String.join(", ", missing));
    }
    return new DockerTls(directory);
  }

  Path directory() {
    return directory;
  }

  @Override
  public SSLContext getSSLContext() throws KeyManagementException, NoSuchAlgorithmException, KeyStoreException {
    List<X509Certificate> authorities = certificates("ca.pem");
    List<X509Certificate> chain = certificates("cert.pem");
    PrivateKey key = privateKey();
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("client", key, IN_MEMORY_PASSWORD, chain.toArray(new Certificate[0]));
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, IN_MEMORY_PASSWORD);

      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        trusted.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trusted);

      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw keyStoreProblem("cannot set up TLS from " + directory + ": " + e.getMessage(), e);
    }
  }

  private List<X509Certificate> certificates(String file) throws KeyStoreException {
    Path path = directory.resolve(file);
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (PemBlock block : PemBlock.read(Files.readString(path, StandardCharsets.US_ASCII))) {
        if (block.type().equals("CERTIFICATE")) {
          certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
        }
      }
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw keyStoreProblem("cannot read the certificates in " + path + ": " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new KeyStoreException(path + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }

  private PrivateKey privateKey() throws KeyStoreException {
    Path path = directory.resolve("key.pem");
    try {
      for (PemBlock block : PemBlock.read(Files.readString(path, StandardCharsets.US_ASCII))) {
        if (PrivateKeys.knows(block.type())) {
          return PrivateKeys.decode(block);
        }
      }
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw keyStoreProblem("cannot read the private key in " + path + ": " + e.getMessage(), e);
    }
    throw new KeyStoreException(path + " holds no unencrypted private key (PRIVATE KEY, RSA PRIVATE KEY or "
        + "EC PRIVATE KEY)");
  }

  private static KeyStoreException keyStoreProblem(String message, Exception cause) {
    return new KeyStoreException(message, cause);
  }
}
