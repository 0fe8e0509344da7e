package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.promokit.expressions.SecretSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --secrets FILE}: what each value reads as, and what each bad file gets. */
class SecretsFileTest {

  @TempDir
  Path dir;

  private Path file(String text) throws Exception {
    return Files.writeString(dir.resolve("secrets.yaml"), text);
  }

  private Map<String, String> secret(Path file, String name) {
    return SecretsFile.read(file).find(name, null);
  }

  @Test
  void valuesAreTakenAsWrittenAsAKubernetesSecretHoldsThem() throws Exception {
    Path file = file("""
        db:
          pin: 0123456
          zeros: 00000042
          hex: 0x1A2B
          flag: "yes-really"
          word: true
          capital: False
          decimal: 1.50
          on: offline-mode
          time: 2024-01-02T03:04:05Z
          quoted: 'it''s a secret'
          block: |
            line one
            line two
          empty:
        """);

    assertThat(secret(file, "db")).containsOnly(
        entry("pin", "0123456"),
        entry("zeros", "00000042"),
        entry("hex", "0x1A2B"),
        entry("flag", "yes-really"),
        entry("word", "true"),
        entry("capital", "False"),
        entry("decimal", "1.50"),
        entry("on", "offline-mode"),
        entry("time", "2024-01-02T03:04:05Z"),
        entry("quoted", "it's a secret"),
        entry("block", "line one\nline two\n"),
        entry("empty", ""));
    assertThat(secret(file, "missing")).isEmpty();
  }

  @Test
  void jsonWorksToo() throws Exception {
    Path file = file("{\"api\": {\"token\": \"s3cr3t-token\", \"port\": 5432}}");

    assertThat(secret(file, "api")).containsExactlyInAnyOrderEntriesOf(Map.of("token", "s3cr3t-token",
        "port", "5432"));
  }

  @Test
  void aKeyGivenTwiceIsRefusedWithItsLineAndNoValue() throws Exception {
    Path file = file("db:\n  password: first-secret-value\n  password: second-secret-value\n");

    assertThatThrownBy(() -> SecretsFile.read(file)).isInstanceOf(BadInputException.class)
        .hasMessage(file + ":3:11: not valid YAML/JSON: key \"password\" appears twice in the same map (the file's "
            + "content is not shown: it holds secrets)");
  }

  @Test
  void aSecretGivenTwiceIsRefused() throws Exception {
    Path file = file("db:\n  password: first-secret-value\ndb:\n  user: admin-user\n");

    assertThatThrownBy(() -> SecretsFile.read(file)).isInstanceOf(BadInputException.class)
        .hasMessageContaining(file + ":3:").hasMessageContaining("key \"db\" appears twice");
  }

  @Test
  void aValueThatIsNotAScalarIsRefusedWithItsLine() throws Exception {
    Path map = file("db:\n  password:\n    nested: secret-value\n");
    assertThatThrownBy(() -> SecretsFile.read(map)).isInstanceOf(BadInputException.class)
        .hasMessage(map + ":3: secret \"db\" key \"password\": must be a string, not a map");

    Path list = file("db:\n  hosts: [a-host, b-host]\n");
    assertThatThrownBy(() -> SecretsFile.read(list)).isInstanceOf(BadInputException.class)
        .hasMessage(list + ":2: secret \"db\" key \"hosts\": must be a string, not a list");
  }

  @Test
  void aSecretThatIsNotAMapIsRefusedWithItsLine() throws Exception {
    Path file = file("db:\n  password: first-secret-value\napi: just-a-token\n");

    assertThatThrownBy(() -> SecretsFile.read(file)).isInstanceOf(BadInputException.class)
        .hasMessage(file + ":3: secret \"api\" must be a map of key to value");
  }

  @Test
  void aFileThatIsNotOneMapIsRefused() throws Exception {
    Path list = file("- a\n- b\n");
    assertThatThrownBy(() -> SecretsFile.read(list)).isInstanceOf(BadInputException.class)
        .hasMessage(list + ": must be a map of secret name to {key: value}");

    Path empty = file("");
    assertThatThrownBy(() -> SecretsFile.read(empty)).isInstanceOf(BadInputException.class)
        .hasMessage(empty + ": must be a map of secret name to {key: value}");

    Path two = file("db:\n  password: first-secret-value\n---\napi:\n  token: second-secret\n");
    assertThatThrownBy(() -> SecretsFile.read(two)).isInstanceOf(BadInputException.class)
        .hasMessage(two + ": holds 2 YAML documents; a secrets file is one map of secret name to {key: value}");
  }

  @Test
  void anAliasIsRefusedRatherThanReadAsItsAnchorsName() throws Exception {
    Path file = file("""
        base: &shared
          user: admin-user
          password: shared-secret
        prod: *shared
        """);

    assertThatThrownBy(() -> SecretsFile.read(file)).isInstanceOf(BadInputException.class)
        .hasMessage(file + ":4: YAML aliases (*shared) are not supported in this file; write the value out");
  }

  @Test
  void aDocumentMarkerAtTheEndIsNoSecondDocument() throws Exception {
    Path file = file("---\ndb:\n  password: first-secret-value\n---\n");

    assertThat(secret(file, "db")).containsExactly(Map.entry("password", "first-secret-value"));
  }

  @Test
  void anInlineMergeKeyIsRefused() throws Exception {
    Path file = file("db:\n  <<: {user: admin-user}\n  password: first-secret-value\n");

    assertThatThrownBy(() -> SecretsFile.read(file)).isInstanceOf(BadInputException.class)
        .hasMessage(file + ":2: YAML merge keys (<<) are not supported in this file; write the values out");
  }

  @Test
  void noFileIsNoSecrets() {
    assertThat(SecretsFile.read(null)).isSameAs(SecretSource.NONE);
  }
}
