package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.AuthConfig;
import io.promokit.spi.RegistryCredential;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where pull credentials come from, with a real config.json and real credential helper programs. */
class RegistryAuthTest {

  @TempDir
  Path config;

  @TempDir
  Path helpers;

  private RegistryAuth auth() {
    return new RegistryAuth(config, helpers.toString());
  }

  private void configJson(String json) throws Exception {
    Files.writeString(config.resolve("config.json"), json);
  }

  private void helper(String name, String script) throws Exception {
    Path file = helpers.resolve("docker-credential-" + name);
    Files.writeString(file, "#!/bin/sh\n" + script);
    Files.setAttribute(file, "unix:mode", 0755);
  }

  private static String basic(String user, String password) {
    return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void prefersTheRequestsCredentialsMatchingTheRegistry() throws Exception {
    configJson("{\"auths\": {\"reg.example:5000\": {\"auth\": \"" + basic("from-file", "x") + "\"}}}");
    Optional<AuthConfig> found = auth().find("reg.example:5000", List.of(
        new RegistryCredential("other.example", "other", "o", null),
        new RegistryCredential("https://reg.example:5000/v2/", "from-request", "secret", null)));
    assertThat(found).hasValueSatisfying(a -> {
      assertThat(a.getUsername()).isEqualTo("from-request");
      assertThat(a.getPassword()).isEqualTo("secret");
      assertThat(a.getRegistryAddress()).isEqualTo("reg.example:5000");
    });
  }

  @Test
  void readsAuthsEntriesWhateverTheirScheme() throws Exception {
    configJson("{\"auths\": {\"https://reg.example:5000\": {\"auth\": \"" + basic("user", "pa:ss") + "\"},"
        + "\"https://index.docker.io/v1/\": {\"identitytoken\": \"tok\"}}}");
    assertThat(auth().find("reg.example:5000", List.of())).hasValueSatisfying(a -> {
      assertThat(a.getUsername()).isEqualTo("user");
      assertThat(a.getPassword()).isEqualTo("pa:ss");
    });
    assertThat(auth().find("docker.io", List.of())).hasValueSatisfying(a -> {
      assertThat(a.getIdentitytoken()).isEqualTo("tok");
      assertThat(a.getRegistryAddress()).isEqualTo("https://index.docker.io/v1/");
    });
    assertThat(auth().find("elsewhere.example", List.of())).isEmpty();
  }

  @Test
  void asksTheRegistrysCredentialHelperFirst() throws Exception {
    configJson("{\"credHelpers\": {\"reg.example\": \"mine\"}, \"credsStore\": \"store\","
        + "\"auths\": {\"reg.example\": {\"auth\": \"" + basic("from-file", "x") + "\"}}}");
    helper("mine", "read server; printf '{\"Username\":\"helped\",\"Secret\":\"for-%s\"}' \"$server\"\n");
    assertThat(auth().find("reg.example", List.of())).hasValueSatisfying(a -> {
      assertThat(a.getUsername()).isEqualTo("helped");
      assertThat(a.getPassword()).isEqualTo("for-reg.example");
    });
  }

  @Test
  void usesTheCredentialsStoreForOtherRegistriesAndTokenUsersAsIdentityTokens() throws Exception {
    configJson("{\"credsStore\": \"store\"}");
    helper("store", "printf '{\"Username\":\"<token>\",\"Secret\":\"refresh-token\"}'\n");
    assertThat(auth().find("any.example", List.of())).hasValueSatisfying(a -> {
      assertThat(a.getUsername()).isNull();
      assertThat(a.getIdentitytoken()).isEqualTo("refresh-token");
    });
  }

  @Test
  void fallsBackToAuthsWhenTheHelperKnowsNothingOrIsMissing() throws Exception {
    configJson("{\"credsStore\": \"store\", \"auths\": {\"reg.example\": {\"auth\": \"" + basic("from-file", "x") + "\"}}}");
    helper("store", "echo 'credentials not found in native keychain'; exit 1\n");
    assertThat(auth().find("reg.example", List.of())).hasValueSatisfying(a -> assertThat(a.getUsername()).isEqualTo("from-file"));

    configJson("{\"credsStore\": \"not-installed\", \"auths\": {\"reg.example\": {\"auth\": \"" + basic("from-file", "x") + "\"}}}");
    assertThat(auth().find("reg.example", List.of())).hasValueSatisfying(a -> assertThat(a.getUsername()).isEqualTo("from-file"));
  }

  @Test
  void ignoresAMissingOrMalformedConfig() throws Exception {
    assertThat(auth().find("reg.example", List.of())).isEmpty();
    configJson("{not json");
    assertThat(auth().find("reg.example", List.of())).isEmpty();
  }

  @Test
  void treatsDockerHubsAliasesAsOne() {
    assertThat(RegistryAuth.normalize("https://index.docker.io/v1/")).isEqualTo("docker.io");
    assertThat(RegistryAuth.normalize("registry-1.docker.io")).isEqualTo("docker.io");
    assertThat(RegistryAuth.normalize("HTTP://Reg.Example:5000/path")).isEqualTo("reg.example:5000");
  }
}
