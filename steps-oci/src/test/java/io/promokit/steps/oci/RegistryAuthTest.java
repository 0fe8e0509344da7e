package io.promokit.steps.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.spi.CredentialType;
import io.promokit.spi.Credentials;
import io.promokit.spi.CredentialsProvider;
import io.promokit.spi.DockerConfigCredentials;
import io.promokit.testkit.TestStepContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials for real registries: the private registry {@code scripts/test-env.sh} starts (HTTP Basic, htpasswd)
 * and a docker-registry with token auth served by {@link TokenServer} (Bearer tokens per scope, Basic credentials
 * or a Docker config's identity token at the token service). Credentials come from the host's provider or the
 * Docker config; they never show in a log line or a message.
 */
class RegistryAuthTest {

  static final String ENV_REGISTRY = System.getenv("PROMOKIT_TEST_REGISTRY");
  static final String ENV_USER = System.getenv("PROMOKIT_TEST_REGISTRY_USER");
  static final String ENV_PASSWORD = System.getenv("PROMOKIT_TEST_REGISTRY_PASSWORD");
  static final String TOKEN_USER = "robot";
  static final String TOKEN_PASSWORD = "token-service-password-1";
  static final String REFRESH_TOKEN = "refresh-token-from-docker-login";

  @TempDir static Path folder;
  static TokenServer tokens;
  static TestRegistry tokenRegistry;
  static RegistryFixture.Image chart;

  @TempDir Path workdir;

  @BeforeAll
  static void start() throws Exception {
    tokens = TokenServer.start(folder.resolve("tokens"), TOKEN_USER, TOKEN_PASSWORD, REFRESH_TOKEN);
    tokenRegistry = TestRegistry.withTokens(folder.resolve("registry"), tokens);
    RegistryFixture fixture = new RegistryFixture(tokenRegistry.host(), tokens::bearerFor);
    chart = fixture.image("charts/secure", "1.0.0", OciDownloadStepTest.CHART,
        "secured chart".getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() throws Exception {
    tokenRegistry.close();
    tokens.close();
  }

  private static void requireEnvironmentRegistry() {
    if (ENV_REGISTRY == null && Boolean.parseBoolean(System.getenv("PROMOKIT_REQUIRE_DOCKER"))) {
      throw new IllegalStateException("PROMOKIT_TEST_REGISTRY is not set (run scripts/test-env.sh start)");
    }
    assumeTrue(ENV_REGISTRY != null, "no test registry: PROMOKIT_TEST_REGISTRY is not set (scripts/test-env.sh start)");
  }

  private TestStepContext context(String step, Map<String, ?> config) {
    return TestStepContext.builder(workdir).stepName(step).config(config).build();
  }

  @Test
  void basicCredentialsFromTheProviderReachThePrivateRegistry() throws Exception {
    requireEnvironmentRegistry();
    CredentialsProvider credentials = CredentialsProvider.builder()
        .add(CredentialType.IMAGE, ENV_REGISTRY + "/promokit-test/busybox", Credentials.usernamePassword(ENV_USER, ENV_PASSWORD))
        .addPattern(CredentialType.IMAGE, "^" + ENV_REGISTRY.replace(".", "\\.") + "/oci-steps/",
            Credentials.usernamePassword(ENV_USER, ENV_PASSWORD))
        .build();
    StepRunner runner = new StepRunner(OciSteps.builder().credentials(credentials).noDockerConfig()
        .credentialsOverHttp(true).build(), workdir);

    StepResult pushed = runner.run("oci-push", context("oci-push", Map.of("srcRef", ENV_REGISTRY + "/promokit-test/busybox:1",
        "destRef", ENV_REGISTRY + "/oci-steps/busybox:copied")));
    assertThat(pushed.status()).as(pushed.message()).isEqualTo(StepStatus.SUCCEEDED);
    List<String> pushLines = runner.lines();

    StepResult downloaded = runner.run("oci-download", context("oci-download", Map.of("imageRef",
        ENV_REGISTRY + "/oci-steps/busybox:copied", "outPath", "busybox-layer.tar.gz")));
    assertThat(downloaded.status()).as(downloaded.message()).isEqualTo(StepStatus.SUCCEEDED);
    byte[] layer = Files.readAllBytes(workdir.resolve("busybox-layer.tar.gz"));
    assertThat(layer[0] & 0xff).as("gzip magic").isEqualTo(0x1f);
    assertThat(String.join("\n", pushLines) + String.join("\n", runner.lines())).doesNotContain(ENV_PASSWORD);
  }

  @Test
  void withoutCredentialsThePrivateRegistryRefusesWithAClearMessage() throws Exception {
    requireEnvironmentRegistry();
    StepException error = new StepRunner(OciSteps.builder().noDockerConfig().build(), workdir)
        .error("oci-download", Map.of("imageRef", ENV_REGISTRY + "/promokit-test/busybox:1", "outPath", "x"));

    assertThat(error.getMessage()).isEqualTo("reading \"" + ENV_REGISTRY + "/promokit-test/busybox:1\": " + ENV_REGISTRY
        + " refused access without credentials (none found for this repository) (HTTP 401: UNAUTHORIZED: "
        + "authentication required)");
    assertThat(workdir.toFile().list()).isEmpty();
  }

  @Test
  void credentialsAreNotSentOverPlainHttpUnlessAllowed() throws Exception {
    requireEnvironmentRegistry();
    CredentialsProvider credentials = CredentialsProvider.builder()
        .add(CredentialType.IMAGE, ENV_REGISTRY + "/promokit-test/busybox", Credentials.usernamePassword(ENV_USER, ENV_PASSWORD))
        .build();
    StepException error = new StepRunner(OciSteps.builder().credentials(credentials).noDockerConfig()
        .credentialsOverHttp(false).build(), workdir)
        .error("oci-download", Map.of("imageRef", ENV_REGISTRY + "/promokit-test/busybox:1", "outPath", "x"));

    assertThat(error.getMessage()).isEqualTo("reading \"" + ENV_REGISTRY + "/promokit-test/busybox:1\": " + ENV_REGISTRY
        + " refused access without credentials: image credentials for \"" + ENV_REGISTRY + "/promokit-test/busybox\" "
        + "are not sent over plain http unless ALLOW_CREDENTIALS_OVER_HTTP=true (HTTP 401: UNAUTHORIZED: "
        + "authentication required)");
  }

  @Test
  void theDockerConfigIsTheFallback() throws Exception {
    requireEnvironmentRegistry();
    Path dockerConfig = Files.createDirectories(folder.resolve("docker-config-basic"));
    Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\":{\"" + ENV_REGISTRY + "\":{\"auth\":\""
        + Base64.getEncoder().encodeToString((ENV_USER + ":" + ENV_PASSWORD).getBytes(StandardCharsets.UTF_8)) + "\"}}}");
    StepRunner runner = new StepRunner(OciSteps.builder().dockerConfig(DockerConfigCredentials.of(dockerConfig, null))
        .credentialsOverHttp(true).build(), workdir);

    StepResult result = runner.run("oci-download", Map.of("imageRef", ENV_REGISTRY + "/promokit-test/busybox:1",
        "outPath", "layer"));
    assertThat(result.status()).as(result.message()).isEqualTo(StepStatus.SUCCEEDED);
  }

  @Test
  void bearerTokensFromTheTokenServiceWithProviderCredentials() throws Exception {
    tokens.grants.clear();
    CredentialsProvider credentials = CredentialsProvider.builder()
        .add(CredentialType.HELM, "oci://" + tokenRegistry.host() + "/charts/secure",
            Credentials.usernamePassword(TOKEN_USER, TOKEN_PASSWORD))
        .add(CredentialType.HELM, "oci://" + tokenRegistry.host() + "/charts/promoted",
            Credentials.usernamePassword(TOKEN_USER, TOKEN_PASSWORD))
        .build();
    StepRunner runner = new StepRunner(OciSteps.builder().credentials(credentials).noDockerConfig()
        .credentialsOverHttp(true).build(), workdir);

    StepResult pushed = runner.run("oci-push", Map.of("srcRef", "oci://" + tokenRegistry.host() + "/charts/secure:1.0.0",
        "destRef", "oci://" + tokenRegistry.host() + "/charts/promoted:1.0.0"));
    assertThat(pushed.status()).as(pushed.message()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(pushed.outputs().get("digest")).isEqualTo(chart.digest());
    assertThat(tokens.grants).contains(
        new TokenServer.Grant("GET", List.of("repository:charts/secure:pull"), TOKEN_USER),
        new TokenServer.Grant("GET", List.of("repository:charts/promoted:pull,push", "repository:charts/secure:pull"),
            TOKEN_USER));
    assertThat(runner.lines()).anyMatch(line -> line.startsWith("INFO: mounted blob"));

    StepResult downloaded = runner.run("oci-download", Map.of("imageRef", "oci://" + tokenRegistry.host()
        + "/charts/promoted:1.0.0", "outPath", "chart.tgz"));
    assertThat(downloaded.status()).as(downloaded.message()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(Files.readString(workdir.resolve("chart.tgz"))).isEqualTo("secured chart");
  }

  @Test
  void anIdentityTokenFromTheDockerConfigIsExchangedAtTheTokenService() throws Exception {
    tokens.grants.clear();
    Path dockerConfig = Files.createDirectories(folder.resolve("docker-config-token"));
    Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\":{\"http://" + tokenRegistry.host()
        + "\":{\"identitytoken\":\"" + REFRESH_TOKEN + "\"}}}");
    StepRunner runner = new StepRunner(OciSteps.builder().dockerConfig(DockerConfigCredentials.of(dockerConfig, null))
        .credentialsOverHttp(true).build(), workdir);

    StepResult result = runner.run("oci-download", Map.of("imageRef", tokenRegistry.host() + "/charts/secure:1.0.0",
        "outPath", "chart.tgz"));
    assertThat(result.status()).as(result.message()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(tokens.grants).containsExactly(
        new TokenServer.Grant("POST", List.of("repository:charts/secure:pull"), "refresh-token"));
  }

  @Test
  void wrongCredentialsAreRefusedByTheTokenService() throws Exception {
    CredentialsProvider credentials = CredentialsProvider.builder()
        .addPattern(CredentialType.IMAGE, ".*", Credentials.usernamePassword(TOKEN_USER, "not-the-password"))
        .build();
    StepRunner runner = new StepRunner(OciSteps.builder().credentials(credentials).noDockerConfig()
        .credentialsOverHttp(true).build(), workdir);

    StepException error = runner.error("oci-download", Map.of("imageRef", tokenRegistry.host() + "/charts/secure:1.0.0",
        "outPath", "chart.tgz"));
    assertThat(error.getMessage()).isEqualTo("token request for repository:charts/secure:pull: " + tokenRegistry.host()
        + " refused access with image credentials for \"" + tokenRegistry.host() + "/charts/secure\" (HTTP 401: "
        + "UNAUTHORIZED: bad credentials)");
    assertThat(error.getMessage()).doesNotContain("not-the-password");
  }

  @Test
  void anonymousClientsGetNoAccessFromTheTokenService() throws Exception {
    StepException error = new StepRunner(OciSteps.builder().noDockerConfig().build(), workdir)
        .error("oci-download", Map.of("imageRef", tokenRegistry.host() + "/charts/secure:1.0.0", "outPath", "x"));

    assertThat(error.getMessage()).startsWith("reading \"" + tokenRegistry.host() + "/charts/secure:1.0.0\": "
        + tokenRegistry.host() + " refused access without credentials (none found for this repository) (HTTP 401");
  }
}
