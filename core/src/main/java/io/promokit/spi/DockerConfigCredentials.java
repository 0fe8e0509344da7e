package io.promokit.spi;

import io.promokit.internal.DataFormats;
import io.promokit.internal.DockerCredentialHelpers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry credentials from a Docker client configuration ({@code config.json} in the Docker config directory),
 * read as the docker CLI reads them: a credential helper named for the registry in {@code credHelpers}, else the
 * {@code credsStore} helper, else the {@code auths} entry ({@code auth} as base64 {@code user:password}, or
 * {@code username}/{@code password}, and {@code identitytoken}). The file is read on every lookup, so a
 * {@code docker login} made while the host runs is seen. Registry names are compared without scheme, path or
 * case, and Docker Hub's aliases are one ({@link #registryKey}).
 *
 * <p>Used by the Docker runtime to pull images and by the OCI steps as their fallback after the host's
 * {@link CredentialsProvider}. Thread-safe; a missing or malformed file gives no credentials (with a warning,
 * never a secret).
 */
public final class DockerConfigCredentials {

  /** The registry name Docker Hub's aliases are compared as. */
  public static final String DOCKER_HUB = "docker.io";
  /** The address the docker CLI keys Docker Hub credentials by. */
  public static final String DOCKER_HUB_ADDRESS = "https://index.docker.io/v1/";

  private final Path configDirectory;
  private final DockerCredentialHelpers helpers;

  private DockerConfigCredentials(Path configDirectory, String helperSearchPath) {
    this.configDirectory = Objects.requireNonNull(configDirectory, "configDirectory must not be null");
    this.helpers = new DockerCredentialHelpers(helperSearchPath);
  }

  /**
   * The configuration the docker CLI would use: {@code $DOCKER_CONFIG}, else {@code ~/.docker}; credential
   * helpers from this process's {@code PATH}.
   */
  public static DockerConfigCredentials fromEnvironment() {
    return of(defaultConfigDirectory(), System.getenv("PATH"));
  }

  /**
   * The configuration in {@code configDirectory}, with credential helpers looked up on {@code helperSearchPath}
   * ({@code PATH} syntax; null or empty: no helpers).
   */
  public static DockerConfigCredentials of(Path configDirectory, String helperSearchPath) {
    return new DockerConfigCredentials(configDirectory, helperSearchPath);
  }

  /** {@code $DOCKER_CONFIG}, else {@code ~/.docker}. */
  public static Path defaultConfigDirectory() {
    String fromEnv = System.getenv("DOCKER_CONFIG");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    return Path.of(System.getProperty("user.home"), ".docker");
  }

  /** The file this reads ({@code config.json} in the config directory); it need not exist. */
  public Path configFile() {
    return configDirectory.resolve("config.json");
  }

  /**
   * The credentials for a registry ({@code registry.example.com:5000}, {@code docker.io}, or an address with a
   * scheme), or empty.
   */
  public Optional<RegistryCredential> find(String registry) {
    String wanted = registryKey(registry);
    Path file = configFile();
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Map<?, ?> config;
    try {
      Object parsed = DataFormats.readJson(Files.readString(file));
      if (!(parsed instanceof Map<?, ?> map)) {
        return Optional.empty();
      }
      config = map;
    } catch (IOException | IllegalArgumentException e) {
      log().warn("ignoring the Docker client configuration {}: it cannot be read as JSON", file);
      return Optional.empty();
    }
    String helper = helperFor(config, wanted);
    if (helper != null) {
      Optional<RegistryCredential> fromHelper = helpers.get(helper, address(registry)).map(found ->
          found.isIdentityToken() ? new RegistryCredential(address(registry), null, null, found.secret())
              : new RegistryCredential(address(registry), found.username(), found.secret(), null));
      if (fromHelper.isPresent()) {
        return fromHelper;
      }
    }
    if (config.get("auths") instanceof Map<?, ?> auths) {
      for (Map.Entry<?, ?> entry : auths.entrySet()) {
        if (registryKey(String.valueOf(entry.getKey())).equals(wanted) && entry.getValue() instanceof Map<?, ?> auth) {
          return fromAuthsEntry(auth, registry, file, String.valueOf(entry.getKey()));
        }
      }
    }
    return Optional.empty();
  }

  private static String helperFor(Map<?, ?> config, String wanted) {
    if (config.get("credHelpers") instanceof Map<?, ?> perRegistry) {
      for (Map.Entry<?, ?> entry : perRegistry.entrySet()) {
        if (registryKey(String.valueOf(entry.getKey())).equals(wanted) && entry.getValue() instanceof String name) {
          return name;
        }
      }
    }
    return config.get("credsStore") instanceof String store && !store.isBlank() ? store : null;
  }

  private static Optional<RegistryCredential> fromAuthsEntry(Map<?, ?> entry, String registry, Path file, String key) {
    String username = null;
    String password = null;
    String encoded = entry.get("auth") instanceof String s ? s : "";
    if (!encoded.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(encoded.strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        log().warn("ignoring auths[\"{}\"] in {}: \"auth\" is not base64", key, file);
        return Optional.empty();
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        log().warn("ignoring auths[\"{}\"] in {}: \"auth\" is not user:password", key, file);
        return Optional.empty();
      }
      username = decoded.substring(0, colon);
      password = decoded.substring(colon + 1);
    } else if (entry.get("username") instanceof String user) {
      username = user;
      password = entry.get("password") instanceof String p ? p : null;
    }
    String identityToken = entry.get("identitytoken") instanceof String t && !t.isEmpty() ? t : null;
    if (username == null && identityToken == null) {
      return Optional.empty();
    }
    return Optional.of(new RegistryCredential(address(registry), username, password, identityToken));
  }

  /** The address the daemon and credential helpers expect for a registry host. */
  public static String address(String registry) {
    return registryKey(registry).equals(DOCKER_HUB) ? DOCKER_HUB_ADDRESS : registry;
  }

  /**
   * A registry name as credentials are compared: without scheme, path or case, with Docker Hub's aliases
   * ({@code index.docker.io}, {@code registry-1.docker.io}, {@code registry.hub.docker.com}) made
   * {@code docker.io}.
   */
  public static String registryKey(String registry) {
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
      case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", "docker.io" -> DOCKER_HUB;
      default -> host;
    };
  }

  @Override
  public String toString() {
    return "DockerConfigCredentials[" + configFile() + "]";
  }

  // Looked up when there is something to say: made eagerly, the logger started slf4j (a service scan, ~5 ms)
  // for every command that only builds the OCI steps, such as promokit validate.
  private static Logger log() {
    return LoggerFactory.getLogger(DockerConfigCredentials.class);
  }
}
