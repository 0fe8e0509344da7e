package io.promokit.runtime.docker;

import com.github.dockerjava.api.model.AuthConfig;
import io.promokit.spi.DockerConfigCredentials;
import io.promokit.spi.RegistryCredential;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds the credentials for pulling from a registry, in this order: the credentials the host resolved
 * for the step's {@code imagePullSecrets} (the request's), then the Docker client's configuration, read by
 * core's {@link DockerConfigCredentials} as the docker CLI reads it (a credential helper named for the registry
 * in {@code credHelpers}, else the {@code credsStore} helper, else the {@code auths} entry). Registry names are
 * compared without scheme and path, and Docker Hub's aliases are one.
 */
final class RegistryAuth {

  private final DockerConfigCredentials dockerConfig;

  RegistryAuth(Path configDirectory, String credentialHelperPath) {
    this.dockerConfig = DockerConfigCredentials.of(configDirectory, credentialHelperPath);
  }

  /** The Docker client configuration file this lookup reads. */
  Path configFile() {
    return dockerConfig.configFile();
  }

  /** Credentials for the registry, or empty to pull anonymously. */
  Optional<AuthConfig> find(String registry, List<RegistryCredential> requestCredentials) {
    String wanted = normalize(registry);
    for (RegistryCredential credential : requestCredentials) {
      if (normalize(credential.registry()).equals(wanted)) {
        return Optional.of(authConfig(registry, credential));
      }
    }
    return dockerConfig.find(registry).map(found -> authConfig(registry, found));
  }

  private static AuthConfig authConfig(String registry, RegistryCredential credential) {
    return new AuthConfig()
        .withRegistryAddress(DockerConfigCredentials.address(registry))
        .withUsername(credential.username())
        .withPassword(credential.password())
        .withIdentityToken(credential.identityToken());
  }

  /** A registry name without scheme, path or case, with Docker Hub's aliases made one. */
  static String normalize(String registry) {
    return DockerConfigCredentials.registryKey(registry);
  }
}
