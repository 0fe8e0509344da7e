package io.promokit.cli;

import io.promokit.expressions.SecretSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --secrets FILE}: a YAML/JSON map of secret name to {key: value}, answering {@code secret(name)}. Values of
 * 1 to 3 characters are refused (they cannot be masked safely); errors never show the file's values.
 */
final class SecretsFile {
  private SecretsFile() {}

  static SecretSource read(Path file) {
    if (file == null) {
      return SecretSource.NONE;
    }
    Object parsed = Json.readSecretYamlOrJson(file);
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new BadInputException(file + ": must be a map of secret name to {key: value}");
    }
    Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
    map.forEach((name, entries) -> {
      if (!(entries instanceof Map<?, ?> kv)) {
        throw new BadInputException(file + ": secret \"" + name + "\" must be a map of key to value");
      }
      Map<String, String> strings = new LinkedHashMap<>();
      kv.forEach((k, v) -> strings.put(String.valueOf(k), MaskableSecrets.require(v == null ? "" : String.valueOf(v),
          file + ": secret \"" + name + "\" key \"" + k + "\"")));
      secrets.put(String.valueOf(name), Map.copyOf(strings));
    });
    Map<String, Map<String, String>> frozen = Map.copyOf(secrets);
    // The CLI has one secret store: secret() and sharedSecret() both read it.
    return (name, scope) -> frozen.getOrDefault(name, Map.of());
  }
}
