package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kubernetes runtime's options are checked before anything runs. */
class KubernetesOptionsTest {

  @TempDir Path dir;

  private Path template() throws Exception {
    return Files.writeString(dir.resolve("t.yaml"), "steps:\n  - uses: compose-output\n    config: {a: 1}\n");
  }

  @Test
  void aValidConfigFileIsAccepted() throws Exception {
    Path config = Files.writeString(dir.resolve("k8s.yaml"), """
        namespace: promotions
        workdirClaim: promokit-workdir
        workdirRoot: %s
        helperImage: registry.example.com/busybox:1.36.1-musl
        imagePullGracePeriod: 2m
        podTemplate:
          spec:
            nodeSelector: {pool: steps}
        """.formatted(dir.resolve("claim")));

    Cli cli = Cli.run("run", template().toString(), "--runtime", "kubernetes", "--k8s-config", config.toString(), "--quiet");

    assertThat(cli.exitCode).as(cli.toString()).isZero();
  }

  @Test
  void badSettingsExitWithTwoNamingWhatIsWrong() throws Exception {
    Path typo = Files.writeString(dir.resolve("typo.yaml"), "namespace: ns\nworkdirClam: pvc\n");
    Path badDuration = Files.writeString(dir.resolve("dur.yaml"), "imagePullGracePeriod: soon\n");
    Path badTemplate = Files.writeString(dir.resolve("pod.yaml"), """
        podTemplate:
          spec:
            containers:
              - name: sidecar
                image: evil
        """);

    Cli unknownField = Cli.run("run", template().toString(), "--runtime", "kubernetes", "--k8s-config", typo.toString());
    Cli duration = Cli.run("run", template().toString(), "--runtime", "kubernetes", "--k8s-config", badDuration.toString());
    Cli containers = Cli.run("run", template().toString(), "--runtime", "kubernetes", "--k8s-config", badTemplate.toString());
    Cli badClaim = Cli.run("run", template().toString(), "--runtime", "kubernetes", "--k8s-workdir-claim", "Not_A_Name");
    Cli rootWithoutClaim = Cli.run("run", template().toString(), "--runtime", "kubernetes", "--k8s-workdir-root", "/tmp");
    Path twice = Files.writeString(dir.resolve("twice.yaml"), "namespace: a\nnamespace: b\n");
    Cli givenTwice = Cli.run("run", template().toString(), "--runtime", "kubernetes", "--k8s-config", twice.toString());
    Path list = Files.writeString(dir.resolve("list.yaml"), "- namespace: a\n");
    Cli notAMap = Cli.run("run", template().toString(), "--runtime", "kubernetes", "--k8s-config", list.toString());

    assertThat(unknownField.exitCode).isEqualTo(2);
    assertThat(unknownField.err).contains(typo + ":2:1: unknown field \"workdirClam\"");
    assertThat(duration.exitCode).isEqualTo(2);
    assertThat(duration.err).contains("invalid duration \"soon\"");
    assertThat(containers.exitCode).isEqualTo(2);
    assertThat(containers.err).contains(badTemplate.toString()).contains("containers");
    assertThat(badClaim.exitCode).isEqualTo(2);
    assertThat(badClaim.err).contains("Not_A_Name");
    assertThat(rootWithoutClaim.exitCode).isEqualTo(2);
    assertThat(givenTwice.exitCode).isEqualTo(2);
    assertThat(notAMap.exitCode).isEqualTo(2);
    assertThat(notAMap.err).contains(list + ": must be a map of settings (known: ");
    assertThat(givenTwice.err).contains(twice + ":2:").contains(": not valid YAML/JSON: key \"namespace\" appears twice");
  }

  @Test
  void anApiServerThatDoesNotAnswerExitsWithTwoBeforeAnyStepRuns() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Path steps = Files.writeString(dir.resolve("s.yaml"), """
        apiVersion: promokit.io/v1
        kind: CustomPromotionStep
        metadata:
          name: hello
        spec:
          image: busybox
          command: ["true"]
        """);
    Path template = Files.writeString(dir.resolve("c.yaml"), "steps:\n  - as: greet\n    uses: hello\n");
    // fabric8 reads its settings from system properties before kubeconfig
    Map<String, String> properties = Map.of("kubernetes.master", "http://127.0.0.1:" + closedPort,
        "kubernetes.auth.tryKubeConfig", "false", "kubernetes.auth.tryServiceAccount", "false",
        "kubernetes.namespace", "promotions");
    Map<String, String> previous = new java.util.HashMap<>();
    properties.forEach((key, value) -> previous.put(key, System.setProperty(key, value)));
    Cli cli;
    try {
      cli = Cli.run("run", template.toString(), "--steps", steps.toString(), "--runtime", "kubernetes");
    } finally {
      previous.forEach((key, value) -> {
        if (value == null) {
          System.clearProperty(key);
        } else {
          System.setProperty(key, value);
        }
      });
    }

    assertThat(cli.exitCode).as(cli.toString()).isEqualTo(2);
    assertThat(cli.err).contains("promokit run: --runtime kubernetes: the Kubernetes API did not answer to read"
        + " namespace promotions after 5 tries: ").doesNotContain("[start]");
  }
}
