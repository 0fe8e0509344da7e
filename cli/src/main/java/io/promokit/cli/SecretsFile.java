package io.promokit.cli;

import io.promokit.expressions.SecretSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --secrets FILE}: a YAML/JSON map of secret name to {key: value}, answering {@code secret(name)}. Values
 * are taken as written, as a Kubernetes Secret holds them: {@code pin: 0123} is {@code "0123"} (not YAML's
 * octal 83), {@code flag: False} is {@code "False"}; an empty value ({@code key:}, {@code ~}, {@code null}) is
 * the empty string. Values of 1 to 3 characters are refused (they cannot be masked safely, {@code yes} and
 * {@code on} among them); a key given twice, aliases and merge keys are refused; errors name the file and
 * line, never the file's values.
 */
final class SecretsFile {
  private SecretsFile() {}

  static SecretSource read(Path file) {
    if (file == null) {
      return SecretSource.NONE;
    }
    List<LocatedYaml.Node> documents = new ArrayList<>(LocatedYaml.documents(file));
    documents.removeIf(document -> document.value() == null); // "---" with nothing after it
    if (documents.size() > 1) {
      throw new BadInputException(file + ": holds " + documents.size() + " YAML documents; a secrets file is one map"
          + " of secret name to {key: value}");
    }
    Map<String, LocatedYaml.Node> map = documents.isEmpty() ? null : documents.get(0).map();
    if (map == null) {
      throw new BadInputException(file + ": must be a map of secret name to {key: value}");
    }
    Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
    map.forEach((name, entries) -> {
      Map<String, LocatedYaml.Node> kv = entries.map();
      if (kv == null) {
        throw new BadInputException(file + ":" + entries.line() + ": secret \"" + name
            + "\" must be a map of key to value");
      }
      Map<String, String> strings = new LinkedHashMap<>();
      kv.forEach((key, node) -> strings.put(key, value(file, name, key, node)));
      secrets.put(name, Map.copyOf(strings));
    });
    Map<String, Map<String, String>> frozen = Map.copyOf(secrets);
    // The CLI has one secret store: secret() and sharedSecret() both read it.
    return (name, scope) -> frozen.getOrDefault(name, Map.of());
  }

  private static String value(Path file, String name, String key, LocatedYaml.Node node) {
    String where = file + ":" + node.line() + ": secret \"" + name + "\" key \"" + key + "\"";
    if (node.value() == null) {
      return "";
    }
    String text = node.text();
    if (text == null) {
      throw new BadInputException(where + ": must be a string, not a " + (node.map() != null ? "map" : "list"));
    }
    return MaskableSecrets.require(text, where);
  }
}
