package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command registers the OCI steps (steps-oci) beside the built-ins, with image credentials from --credentials. */
class OciStepsCommandTest {

  static final String REGISTRY = System.getenv("PROMOKIT_TEST_REGISTRY");

  @TempDir Path dir;

  @Test
  void stepsListsTheOciSteps() throws Exception {
    Cli cli = Cli.run("steps");
    assertThat(cli.exitCode).as(cli.toString()).isZero();
    for (String name : new String[] {"oci-download", "oci-push"}) {
      assertThat(cli.out).containsPattern(name + "\\s+built-in\\s+-");
    }
  }

  @Test
  void runGivesTheOciStepsTheImageSecretsOfCredentials() throws Exception {
    if (REGISTRY == null && Boolean.parseBoolean(System.getenv("PROMOKIT_REQUIRE_DOCKER"))) {
      throw new IllegalStateException("PROMOKIT_TEST_REGISTRY is not set (run scripts/test-env.sh start)");
    }
    assumeTrue(REGISTRY != null, "no test registry: PROMOKIT_TEST_REGISTRY is not set (scripts/test-env.sh start)");
    String password = System.getenv("PROMOKIT_TEST_REGISTRY_PASSWORD");
    Path credentials = Files.writeString(dir.resolve("creds.yaml"), """
        apiVersion: v1
        kind: Secret
        metadata:
          name: registry
          labels:
            kargo.akuity.io/cred-type: image
        data:
          repoURL: %s
          username: %s
          password: %s
        """.formatted(b64(REGISTRY + "/promokit-test/busybox"), b64(System.getenv("PROMOKIT_TEST_REGISTRY_USER")),
        b64(password)));
    Path template = Files.writeString(dir.resolve("promote.yaml"), """
        steps:
          - uses: oci-download
            config:
              imageRef: %s/promokit-test/busybox:1
              outPath: layer.tar.gz
        """.formatted(REGISTRY));
    Path workdir = Files.createDirectories(dir.resolve("work"));
    Path record = dir.resolve("record.json");

    Cli cli = Cli.run("run", template.toString(), "--credentials", credentials.toString(), "--workdir",
        workdir.toString(), "--keep-workdir", "--record", record.toString());

    if (Boolean.parseBoolean(System.getenv("ALLOW_CREDENTIALS_OVER_HTTP"))) {
      assertThat(cli.exitCode).as(cli.toString()).isZero();
      assertThat(workdir.resolve("layer.tar.gz")).exists();
    } else {
      // The Secret was found (the message names it) and, as the registry speaks plain HTTP, withheld.
      assertThat(cli.exitCode).as(cli.toString()).isNotZero();
      assertThat(Files.readString(record)).contains("image credentials for \\\"" + REGISTRY
          + "/promokit-test/busybox\\\" are not sent over plain http unless ALLOW_CREDENTIALS_OVER_HTTP=true");
    }
    assertThat(Files.readString(record) + cli.out + cli.err).doesNotContain(password);
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
