package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.promokit.event.LogStream;
import io.promokit.spi.ContainerExit;
import io.promokit.spi.ContainerFile;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.testkit.LogCollector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret env values reach the process through a file that the launcher reads and deletes, never through the
 * container's configuration: {@code docker inspect} shows none of them, and nothing is left on the host.
 */
@ExtendWith(RequiresDocker.class)
class SecretEnvTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String SECRET = "s3cret-Value \"quoted\" $HOME `x` \\ end";
  private static final String MULTI_LINE = "-----BEGIN KEY-----\nabc\n-----END KEY-----\n\n";

  @TempDir
  Path workdir;

  private DockerContainerRuntime runtime;
  private String engine;

  @BeforeAll
  static void needsDocker() {
    DockerTestEnvironment.require();
  }

  @BeforeEach
  void createRuntime() {
    runtime = DockerContainerRuntime.builder().helperImage(DockerTestEnvironment.busyboxImage()).build();
    engine = "secret-env-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void nothingLeftBehind() {
    runtime.close();
    assertThat(DockerTestEnvironment.containersOf(engine)).isEmpty();
    assertThat(AttemptDirectory.engineDirectory(runtime.scratchDirectory(), engine)).doesNotExist();
  }

  private ContainerRequest.Builder request(String image, List<String> command) {
    return ContainerRequest.builder()
        .name("secret-env")
        .definition("secret-env")
        .image(image)
        .command(command)
        .workdir(workdir)
        .env("PLAIN", "visible")
        .secretEnv("DB_PASSWORD", SECRET)
        .secretEnv("TLS_KEY", MULTI_LINE)
        .label(ContainerLabels.ENGINE, engine)
        .label(ContainerLabels.PROMOTION, "secret-env")
        .label(ContainerLabels.STEP, "step")
        .label(ContainerLabels.ATTEMPT, "1");
  }

  @Test
  void secretsReachTheProcessButNeitherTheContainerConfigNorTheHostsDisk() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerRequest request = request(DockerTestEnvironment.busyboxImage(), List.of("sh", "-c",
        "printf '%s|%s|%s\\n' \"$PLAIN\" \"$DB_PASSWORD\" \"$(printf '%s' \"$TLS_KEY\" | md5sum | cut -c1-32)\"; "
            + "ls -A /promokit/env | wc -l; echo ready; sleep 300"))
        .build();
    String inspected;
    Path attemptFolder;
    try (ContainerHandle handle = runtime.start(request, logs)) {
      logs.awaitLine(LogStream.STDOUT, "ready", PATIENCE);
      InspectContainerResponse info = DockerTestEnvironment.client().inspectContainerCmd(handle.id()).exec();
      inspected = new ObjectMapper().writeValueAsString(info);
      attemptFolder = AttemptDirectory.engineDirectory(runtime.scratchDirectory(), engine).resolve(handle.id());
      // The launcher deleted the files once it had read them: the values are in the process only.
      try (Stream<Path> files = Files.list(attemptFolder.resolve("env"))) {
        assertThat(files).isEmpty();
      }
      assertThat(info.getConfig().getEnv()).contains("PLAIN=visible")
          .noneMatch(e -> e.startsWith("DB_PASSWORD=") || e.startsWith("TLS_KEY="));
    }

    // The multi-line value arrives byte for byte, trailing newlines included.
    assertThat(logs.stdout().get(0)).isEqualTo("visible|" + SECRET + "|" + md5(MULTI_LINE));
    assertThat(logs.stdout().get(1)).as("files left in the env folder").isEqualTo("0");
    for (String part : List.of("s3cret-Value", "BEGIN KEY", "abc\\n")) {
      assertThat(inspected).as("docker inspect").doesNotContain(part);
    }
    assertThat(inspected).contains("DB_PASSWORD").as("named in the launcher's script, never with its value");
    assertThat(attemptFolder).doesNotExist();
  }

  private static String md5(String text) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
        .digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aShellLessImageGetsItsSecretsToo() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerExit exit;
    try (ContainerHandle handle = runtime.start(request(DockerTestEnvironment.noShellImage(),
        List.of("cat", "/proc/self/environ")).build(), logs)) {
      exit = handle.await(PATIENCE).orElseThrow();
    }

    assertThat(exit.exitCode()).as("%s", logs.all()).isZero();
    String environ = String.join("\n", logs.stdout());
    assertThat(environ).contains("DB_PASSWORD=" + SECRET).contains("PLAIN=visible")
        .doesNotContain("_promokit_");
  }

  @Test
  void aCommandMissingFromTheImageIsATerminalErrorAsWithoutSecrets() throws Exception {
    LogCollector logs = new LogCollector();
    try (ContainerHandle handle = runtime.start(request(DockerTestEnvironment.noShellImage(),
        List.of("sh", "-c", "true")).build(), logs)) {
      assertThatThrownBy(() -> handle.await(PATIENCE))
          .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isFalse())
          .hasMessage("cannot start container " + handle.id() + ": the command \"sh\" could not be run in image \""
              + DockerTestEnvironment.noShellImage() + "\" (the runtime runs the command as it is, without a shell): "
              + "exec sh failed: No such file or directory");
    }
  }

  @Test
  void filesAndSecretsTogetherAndPlaceholdersInSecretValues() throws Exception {
    LogCollector logs = new LogCollector();
    ContainerRequest request = request(DockerTestEnvironment.busyboxImage(),
        List.of("sh", "-c", "cat \"$KUBECONFIG\""))
        .secretEnv("KUBECONFIG", "$(PROMOKIT_FILES)/kubeconfig")
        .file(new ContainerFile("kubeconfig", "apiVersion: v1\n".getBytes(StandardCharsets.UTF_8)))
        .build();
    try (ContainerHandle handle = runtime.start(request, logs)) {
      assertThat(handle.await(PATIENCE).orElseThrow().exitCode()).isZero();
    }
    assertThat(logs.stdout()).containsExactly("apiVersion: v1");
  }

  @Test
  void aHelperImageThatCannotBeHadSaysWhatItIsFor() {
    DockerContainerRuntime broken = DockerContainerRuntime.builder()
        .helperImage(DockerTestEnvironment.busyboxImage()).helperBinary("/bin/no-such-busybox").build();
    try {
      assertThatThrownBy(() -> broken.start(request(DockerTestEnvironment.busyboxImage(), List.of("true")).build(),
          new LogCollector()).close())
          .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.isRetryable()).isFalse())
          .hasMessageStartingWith("the step has secret env values, which reach it through a launcher from the helper "
              + "image \"" + DockerTestEnvironment.busyboxImage() + "\" (DockerContainerRuntime.Builder.helperImage): "
              + "cannot copy /bin/no-such-busybox out of the helper image \"" + DockerTestEnvironment.busyboxImage()
              + "\" (no such file in the image; set helperBinary to where its static BusyBox is)");
    } finally {
      broken.close();
    }
  }
}
