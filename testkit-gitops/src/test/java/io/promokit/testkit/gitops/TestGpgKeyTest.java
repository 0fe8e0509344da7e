package io.promokit.testkit.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
    ProcessBuilder imp = new ProcessBuilder("gpg", "--batch", "--import");
    imp.environment().put("GNUPGHOME", signHome.toString());
    Process p = imp.start();
    p.getOutputStream().write(key.armoredPrivateKey().getBytes());
    p.getOutputStream().close();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    ProcessBuilder sign = new ProcessBuilder("git", "-c", "user.name=S", "-c", "user.email=signer@example.com",
        "-c", "user.signingKey=" + key.fingerprint(), "commit-tree", "-S", "-m", "signed", "main^{tree}")
        .directory(repo.path().toFile());
    sign.environment().put("GNUPGHOME", signHome.toString());
    Process s = sign.start();
    s.getOutputStream().close();
    String sha = new String(s.getInputStream().readAllBytes()).strip();
    assertThat(s.waitFor()).isZero();
    ProcessBuilder kill = new ProcessBuilder("gpgconf", "--kill", "gpg-agent");
    kill.environment().put("GNUPGHOME", signHome.toString());
    assertThat(kill.start().waitFor()).isZero();

    TestGpgKey.VerifyResult result = key.verify(repo.path(), "commit", sha);
    TestGpgKey.VerifyResult unsigned = key.verify(repo.path(), "commit", "main");

    assertThat(result.isGoodSignatureBy(key.fingerprint())).as(result.output()).isTrue();
    assertThat(unsigned.isGoodSignatureBy(key.fingerprint())).isFalse();
  }
}
