package io.promokit.testkit.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestGpgKeyTest {

  @TempDir
  Path tmp;

  @Test
  void makesAKeyWhoseSignaturesVerifyAgainstThePublicKeyOnly() throws Exception {
    TestGpgKey key = TestGpgKey.generate(tmp.resolve("k"), "Signer", "signer@example.com");
    assertThat(key.armoredPrivateKey()).startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----");
    assertThat(key.fingerprint()).hasSize(40);

    // sign a commit with a home that has the private key, then verify with the public key only
    Path signHome = Files.createDirectories(tmp.resolve("h"));
    Files.setPosixFilePermissions(signHome, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    BareRepository repo = BareRepository.create(tmp.resolve("r.git"));
    repo.commit("main", "base", Map.of("a", "1"));
    // bounded runs (FixtureProcess): a program that never ends fails the test instead of hanging the build
    Map<String, String> env = new HashMap<>(TestGit.cleanEnvironment());
    env.put("GNUPGHOME", signHome.toString());
    assertThat(FixtureProcess.run(List.of("gpg", "--batch", "--import"), null, env,
        key.armoredPrivateKey().getBytes(StandardCharsets.US_ASCII), "gnupg").exitCode()).isZero();
    TestGit.Result signed = FixtureProcess.run(List.of("git", "-c", "user.name=S", "-c", "user.email=signer@example.com",
        "-c", "user.signingKey=" + key.fingerprint(), "commit-tree", "-S", "-m", "signed", "main^{tree}"),
        repo.path(), env, null, "git");
    assertThat(signed.exitCode()).as(signed.stderr()).isZero();
    String sha = signed.stdout().strip();
    assertThat(FixtureProcess.run(List.of("gpgconf", "--kill", "gpg-agent"), null, env, null, "gnupg").exitCode())
        .isZero();

    TestGpgKey.VerifyResult result = key.verify(repo.path(), "commit", sha);
    TestGpgKey.VerifyResult unsigned = key.verify(repo.path(), "commit", "main");

    assertThat(result.isGoodSignatureBy(key.fingerprint())).as(result.output()).isTrue();
    assertThat(unsigned.isGoodSignatureBy(key.fingerprint())).isFalse();
  }
}
