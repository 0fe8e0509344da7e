package io.promokit.testkit.gitops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An SSH key pair made by the real {@code ssh-keygen} for a test (no passphrase): its private half is what a
 * credential's {@code sshPrivateKey} holds, its public half what {@link GitSshServer} authorizes.
 *
 * @param privateKey the private key in OpenSSH format (a secret in the code under test)
 * @param publicKey the {@code authorized_keys} line
 */
public record TestSshKey(String privateKey, String publicKey) {

  /** An ECDSA P-256 key pair, written under {@code dir} (created when missing). */
  public static TestSshKey generate(Path dir) {
    return generate(dir, "ecdsa");
  }

  /** A key pair of the given {@code ssh-keygen -t} type ({@code ecdsa}, {@code rsa}, {@code ed25519}). */
  public static TestSshKey generate(Path dir, String type) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("id_" + type);
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir.resolve("id_" + type + ".pub"));
      TestGit.Result made = FixtureProcess.run(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "promokit-test",
          "-f", file.toString()), null, Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")), null,
          "Debian: apt-get install openssh-client");
      if (made.exitCode() != 0) {
        throw new IllegalStateException("ssh-keygen -t " + type + " failed: " + (made.stdout() + made.stderr()).strip());
      }
      return new TestSshKey(Files.readString(file), Files.readString(dir.resolve("id_" + type + ".pub")).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the test SSH key under " + dir, e);
    }
  }

  @Override
  public String toString() {
    return "TestSshKey[" + publicKey + "]";
  }
}
