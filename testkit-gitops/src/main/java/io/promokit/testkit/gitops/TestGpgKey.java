package io.promokit.testkit.gitops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A GPG signing key made by the real {@code gpg} for a test (ed25519, no passphrase, never expires), in its
 * own GnuPG home: the armored private key is what a signing key setting holds; {@link #verify} checks
 * signatures with git against the public key only, as a reviewer would.
 *
 * @param fingerprint the key's fingerprint
 * @param armoredPrivateKey the ASCII-armored private key (a secret in the code under test)
 * @param armoredPublicKey the ASCII-armored public key
 * @param verifyingHome a GnuPG home holding only the public key, trusted
 */
public record TestGpgKey(String fingerprint, String armoredPrivateKey, String armoredPublicKey, Path verifyingHome) {

  private static final String GPG_HINT = "Debian: apt-get install gnupg";

  /** Makes a key for {@code Name <email>}, with its GnuPG homes under {@code dir} (keep the path short). */
  public static TestGpgKey generate(Path dir, String name, String email) {
    Path signing = dir.resolve("s");
    Path verifying = dir.resolve("v");
    mkdirPrivate(signing);
    mkdirPrivate(verifying);
    String uid = name + " <" + email + ">";
    gpg(signing, null, "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", uid,
        "ed25519", "sign", "never");
    String colons = gpg(signing, null, "--batch", "--with-colons", "--list-secret-keys");
    String fingerprint = null;
    for (String line : colons.split("\n")) {
      if (line.startsWith("fpr:")) {
        fingerprint = line.split(":")[9];
        break;
      }
    }
    String secret = gpg(signing, null, "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--armor",
        "--export-secret-keys", fingerprint);
    String pub = gpg(signing, null, "--batch", "--armor", "--export", fingerprint);
    gpg(verifying, pub, "--batch", "--import");
    gpg(verifying, fingerprint + ":6:\n", "--batch", "--import-ownertrust");
    stopAgent(signing);
    stopAgent(verifying);
    return new TestGpgKey(fingerprint, secret, pub, verifying);
  }

  /**
   * Runs {@code git verify-commit} or {@code git verify-tag} (per {@code kind}: commit or tag) in a repository
   * with a GnuPG home that knows only the public key; returns git's exit code and its status output.
   */
  public VerifyResult verify(Path repository, String kind, String ref) {
    TestGit.Result result = TestGit.run(repository, Map.of("GNUPGHOME", verifyingHome.toString()),
        "verify-" + kind, "--raw", ref);
    stopAgent(verifyingHome);
    return new VerifyResult(result.exitCode(), result.stdout() + result.stderr());
  }

  /** What {@code git verify-*} said. */
  public record VerifyResult(int exitCode, String output) {
    /** Whether the signature is good and made by the given key. */
    public boolean isGoodSignatureBy(String fingerprint) {
      return exitCode == 0 && output.contains("[GNUPG:] GOODSIG") && output.contains(fingerprint);
    }
  }

  private static void mkdirPrivate(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void stopAgent(Path home) {
    FixtureProcess.run(List.of("gpgconf", "--kill", "gpg-agent"), null, gpgEnvironment(home), null, GPG_HINT);
  }

  private static String gpg(Path home, String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add("gpg");
    command.addAll(List.of(args));
    TestGit.Result result = FixtureProcess.run(command, null, gpgEnvironment(home),
        stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8), GPG_HINT);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("gpg " + String.join(" ", args) + " failed: " + result.stderr().strip());
    }
    return result.stdout();
  }

  private static Map<String, String> gpgEnvironment(Path home) {
    return Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "GNUPGHOME", home.toString());
  }

  @Override
  public String toString() {
    return "TestGpgKey[" + fingerprint + "]";
  }
}
