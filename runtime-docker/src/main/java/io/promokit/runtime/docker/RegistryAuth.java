package io.promokit.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.AuthConfig;
import io.promokit.spi.RegistryCredential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the credentials for pulling from a registry, in this order: the credentials the host resolved
 * for the step's {@code imagePullSecrets} (the request's), then the Docker client's configuration
 * ({@code config.json} in the Docker config directory), as the docker CLI reads it: a credential helper
 * named for the registry in {@code credHelpers}, else the {@code credsStore} helper, else the
 * {@code auths} entry. The file is read on every lookup, so a {@code docker login} made while the host
 * runs is seen. Registry names are compared without scheme and path, and Docker Hub's aliases are one.
 */
final class RegistryAuth {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryAuth.class);
  /** The address the docker CLI keys Docker Hub credentials by. */
  static final String DOCKER_HUB_ADDRESS = "https://index.docker.io/v1/";

  private final Path configDirectory;
  private final CredentialHelpers helpers;

  RegistryAuth(Path configDirectory, CredentialHelpers helpers) {
    this.configDirectory = configDirectory;
    this.helpers = helpers;
  }

  /** The Docker config directory this lookup reads {@code config.json} from. */
  Path configDirectory() {
    return configDirectory;
  }

  /** Credentials for the registry, or empty to pull anonymously. */
  Optional<AuthConfig> find(String registry, List<RegistryCredential> requestCredentials) {
    String wanted = normalize(registry);
    for (RegistryCredential credential : requestCredentials) {
      if (normalize(credential.registry()).equals(wanted)) {
        return Optional.of(new AuthConfig()
            .withRegistryAddress(address(registry))
            .withUsername(credential.username())
            .withPassword(credential.password())
            .withIdentityToken(credential.identityToken()));
      }
    }
    return fromConfigFile(registry, wanted);
  }

  private Optional<AuthConfig> fromConfigFile(String registry, String wanted) {
    Path file = configDirectory.resolve("config.json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode config;
    try {
      config = JsonTrees.read(file);
    } catch (IOException e) {
      LOG.warn("ignoring the Docker client configuration {}: it is not valid JSON ({})", file, e.getMessage());
      return Optional.empty();
    }
    if (config == null || !config.isObject()) {
      return Optional.empty();
    }
    String helper = helperFor(config, wanted);
    if (helper != null) {
      Optional<AuthConfig> fromHelper = helpers.get(helper, address(registry))
          .map(found -> found.toAuthConfig(address(registry)));
      if (fromHelper.isPresent()) {
        return fromHelper;
      }
    }
    JsonNode auths = config.path("auths");
    var names = auths.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (normalize(key).equals(wanted)) {
        return fromAuthsEntry(auths.get(key), registry, file, key);
      }
    }
    return Optional.empty();
  }

  private static String helperFor(JsonNode config, String wanted) {
    JsonNode perRegistry = config.path("credHelpers");
    var names = perRegistry.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (normalize(key).equals(wanted) && perRegistry.get(key).isTextual()) {
        return perRegistry.get(key).asText();
      }
    }
    JsonNode store = config.path("credsStore");
    return store.isTextual() && !store.asText().isBlank() ? store.asText() : null;
  }

  private static Optional<AuthConfig> fromAuthsEntry(JsonNode entry, String registry, Path file, String key) {
    AuthConfig auth = new AuthConfig().withRegistryAddress(address(registry));
    String encoded = entry.path("auth").asText("");
    if (!encoded.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(encoded.strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        LOG.warn("ignoring auths[\"{}\"] in {}: \"auth\" is not base64", key, file);
        return Optional.empty();
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        LOG.warn("ignoring auths[\"{}\"] in {}: \"auth\" is not user:password", key, file);
        return Optional.empty();
      }
      auth.withUsername(decoded.substring(0, colon)).withPassword(decoded.substring(colon + 1));
    } else if (entry.hasNonNull("username")) {
      auth.withUsername(entry.get("username").asText()).withPassword(entry.path("password").asText(null));
    }
    if (entry.hasNonNull("identitytoken")) {
      auth.withIdentityToken(entry.get("identitytoken").asText());
    }
    if (auth.getUsername() == null && auth.getIdentitytoken() == null) {
      return Optional.empty();
    }
    return Optional.of(auth);
  }

  /** The address the daemon and credential helpers expect for a registry host. */
  static String address(String registry) {
    return normalize(registry).equals(ImageReference.DOCKER_HUB) ? DOCKER_HUB_ADDRESS : registry;
  }

  /** A registry name without scheme, path or case, with Docker Hub's aliases made one. */
  static String normalize(String registry) {
    String host = registry.strip();
    int scheme = host.indexOf("://");
    if (scheme >= 0) {
      host = host.substring(scheme + 3);
    }
    int slash = host.indexOf('/');
    if (slash >= 0) {
      host = host.substring(0, slash);
    }
    host = host.toLowerCase(Locale.ROOT);
    return switch (host) {
      case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", "docker.io" ->
          ImageReference.DOCKER_HUB;
      default -> host;
    };
  }
}
