package io.promokit.cli;

import io.promokit.spi.CredentialType;
import io.promokit.spi.Credentials;
import io.promokit.spi.CredentialsProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code --credentials FILE} (repeatable): Kargo's own credential Secrets, so a Kargo user reuses the
 * manifests they have. Each file may hold several YAML documents; a document counts when it is a
 * {@code kind: Secret} labelled {@code kargo.akuity.io/cred-type: git|helm|image}, with
 * {@code repoURL}, optional {@code repoURLIsRegex: "true"}, and {@code username} + {@code password} or
 * {@code sshPrivateKey}, under {@code stringData} (plain) or {@code data} (base64; stringData wins per
 * key, as in Kubernetes). Other documents (other kinds, unlabelled Secrets) are skipped, as Kargo skips
 * them. As in Kargo, Secrets are tried in the order of their names, the first match wins.
 *
 * <p>Problems are reported as {@code file:line: ...} (exit 2) and never quote a secret value.
 */
final class CredentialsFile {

  static final String LABEL = "kargo.akuity.io/cred-type";

  private record Entry(String name, CredentialType type, String repoUrl, boolean regex, Credentials credentials) {}

  private CredentialsFile() {}

  /** A provider over the credential Secrets of every file ({@link CredentialsProvider#NONE} without files). */
  static CredentialsProvider read(List<Path> files) {
    if (files == null || files.isEmpty()) {
      return CredentialsProvider.NONE;
    }
    List<Entry> entries = new ArrayList<>();
    for (Path file : files) {
      List<LocatedYaml.Node> documents = LocatedYaml.documents(file);
      for (LocatedYaml.Node document : documents) {
        Entry entry = entry(file, document);
        if (entry != null) {
          entries.add(entry);
        }
      }
    }
    entries.sort(Comparator.comparing(Entry::name)); // stable: same names keep file order
    CredentialsProvider.Builder builder = CredentialsProvider.builder();
    for (Entry e : entries) {
      if (e.regex()) {
        builder.addPattern(e.type(), e.repoUrl(), e.credentials());
      } else {
        builder.add(e.type(), e.repoUrl(), e.credentials());
      }
    }
    return builder.build();
  }

  private static Entry entry(Path file, LocatedYaml.Node document) {
    if (document.value() == null) {
      return null; // an empty document
    }
    Map<String, LocatedYaml.Node> secret = document.map();
    if (secret == null) {
      throw bad(file, document.line(), "a document must be a map (a Kubernetes Secret)");
    }
    if (!"Secret".equals(text(secret.get("kind")))) {
      return null;
    }
    Map<String, LocatedYaml.Node> metadata = map(file, secret, "metadata", document.line());
    Map<String, LocatedYaml.Node> labels = metadata == null ? null : map(file, metadata, "labels", document.line());
    LocatedYaml.Node typeNode = labels == null ? null : labels.get(LABEL);
    if (typeNode == null) {
      return null; // Kargo only reads Secrets carrying the label
    }
    CredentialType type;
    try {
      type = CredentialType.fromLabel(text(typeNode));
    } catch (IllegalArgumentException e) {
      throw bad(file, typeNode.line(), "label " + LABEL + ": " + e.getMessage());
    }
    String name = text(metadata.get("name"));
    if (name == null || name.isEmpty()) {
      throw bad(file, document.line(), "a credential Secret needs metadata.name");
    }
    String where = "Secret \"" + name + "\"";
    Map<String, Field> fields = fields(file, secret, where);
    Field repoUrl = fields.get("repoURL");
    if (repoUrl == null || repoUrl.value().isBlank()) {
      throw bad(file, document.line(), where + ": repoURL is required");
    }
    Field isRegex = fields.get("repoURLIsRegex");
    boolean regex = isRegex != null && "true".equals(isRegex.value());
    if (regex) {
      try {
        Pattern.compile(repoUrl.value());
      } catch (PatternSyntaxException e) {
        throw bad(file, repoUrl.line(), where + ": repoURL is not a valid regular expression: "
            + e.getDescription() + " near index " + e.getIndex());
      }
    }
    if (fields.containsKey("githubAppID") || fields.containsKey("githubAppPrivateKey")) {
      throw bad(file, document.line(), where + ": GitHub App credentials are not supported; "
          + "use username and password (a token) or sshPrivateKey");
    }
    Field username = fields.get("username");
    Field password = fields.get("password");
    Field key = fields.get("sshPrivateKey");
    boolean hasUser = username != null && !username.value().isEmpty();
    boolean hasPassword = password != null && !password.value().isEmpty();
    if (hasUser != hasPassword) {
      Field present = hasUser ? username : password;
      throw bad(file, present.line(), where + ": username and password go together (Kargo ignores a Secret "
          + "with only one of them); " + (hasUser ? "password" : "username") + " is missing or empty");
    }
    boolean hasKey = key != null && !key.value().isEmpty();
    if (!hasPassword && !hasKey) {
      throw bad(file, document.line(), where + ": needs username and password, or sshPrivateKey");
    }
    Credentials credentials = Credentials.builder()
        .username(hasUser ? username.value() : null)
        .password(hasPassword ? password.value() : null)
        .sshPrivateKey(hasKey ? key.value() : null)
        .build();
    return new Entry(name, type, repoUrl.value(), regex, credentials);
  }

  private record Field(String value, int line) {}

  /** data (base64) overlaid by stringData (plain), as the API server merges them. */
  private static Map<String, Field> fields(Path file, Map<String, LocatedYaml.Node> secret, String where) {
    Map<String, Field> fields = new LinkedHashMap<>();
    Map<String, LocatedYaml.Node> data = map(file, secret, "data", 0);
    if (data != null) {
      data.forEach((k, v) -> {
        String encoded = text(v);
        if (encoded == null) {
          throw bad(file, v.line(), where + ": data." + k + " must be a base64 string");
        }
        try {
          String decoded = new String(Base64.getDecoder().decode(encoded.replaceAll("\\s", "")), StandardCharsets.UTF_8);
          fields.put(k, new Field(decoded, v.line()));
        } catch (IllegalArgumentException e) {
          // Never say more about the value: it may be the secret itself.
          throw bad(file, v.line(), where + ": data." + k + " is not valid base64");
        }
      });
    }
    Map<String, LocatedYaml.Node> stringData = map(file, secret, "stringData", 0);
    if (stringData != null) {
      stringData.forEach((k, v) -> {
        String value = text(v);
        if (value == null && v.value() != null) {
          throw bad(file, v.line(), where + ": stringData." + k + " must be a string");
        }
        fields.put(k, new Field(value == null ? "" : value, v.line()));
      });
    }
    return fields;
  }

  private static Map<String, LocatedYaml.Node> map(Path file, Map<String, LocatedYaml.Node> parent, String key,
      int fallbackLine) {
    LocatedYaml.Node node = parent.get(key);
    if (node == null || node.value() == null) {
      return null;
    }
    Map<String, LocatedYaml.Node> map = node.map();
    if (map == null) {
      throw bad(file, node.line() > 0 ? node.line() : fallbackLine, key + " must be a map");
    }
    return map;
  }

  private static String text(LocatedYaml.Node node) {
    return node == null ? null : node.text();
  }

  private static BadInputException bad(Path file, int line, String message) {
    return new BadInputException(file + ":" + line + ": " + message);
  }
}
