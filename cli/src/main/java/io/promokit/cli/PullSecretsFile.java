package io.promokit.cli;

import io.promokit.spi.PullSecretSource;
import io.promokit.spi.RegistryCredential;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --pull-secrets FILE}: a YAML/JSON map of imagePullSecrets name to a Docker config JSON
 * ({@code {"auths": {"registry": {"auth": base64(user:pass)} or {"username", "password"}}}}), as the
 * {@code .dockerconfigjson} of a Kubernetes pull secret holds it.
 */
final class PullSecretsFile {
  private PullSecretsFile() {}

  static PullSecretSource read(Path file) {
    if (file == null) {
      return PullSecretSource.NONE;
    }
    Object parsed = Json.readSecretYamlOrJson(file);
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new BadInputException(file + ": must be a map of pull secret name to a Docker config ({\"auths\": ...})");
    }
    Map<String, List<RegistryCredential>> byName = new LinkedHashMap<>();
    map.forEach((name, config) -> byName.put(String.valueOf(name), credentials(file, String.valueOf(name), config)));
    Map<String, List<RegistryCredential>> frozen = Map.copyOf(byName);
    return name -> frozen.getOrDefault(name, List.of());
  }

  private static List<RegistryCredential> credentials(Path file, String name, Object config) {
    String where = file + ": pull secret \"" + name + "\"";
    Object value = config instanceof String text ? parseJson(where, text) : config;
    if (!(value instanceof Map<?, ?> map) || !(map.get("auths") instanceof Map<?, ?> auths)) {
      throw new BadInputException(where + ": must be a Docker config with an \"auths\" map");
    }
    List<RegistryCredential> result = new ArrayList<>();
    auths.forEach((registry, entry) -> {
      if (!(entry instanceof Map<?, ?> e)) {
        throw new BadInputException(where + ": auths." + registry + " must be a map");
      }
      String user = str(e.get("username"));
      String password = str(e.get("password"));
      if (e.get("auth") instanceof String auth) {
        String decoded;
        try {
          decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException bad) {
          throw new BadInputException(where + ": auths." + registry + ".auth is not valid base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
          throw new BadInputException(where + ": auths." + registry + ".auth must encode user:password");
        }
        user = decoded.substring(0, colon);
        password = decoded.substring(colon + 1);
      }
      result.add(new RegistryCredential(String.valueOf(registry), user, password, str(e.get("identitytoken"))));
    });
    return List.copyOf(result);
  }

  private static Object parseJson(String where, String text) {
    try {
      return Json.COMPACT.readValue(text, Object.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BadInputException(where + ": not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }
}
