package io.promokit.steps.oci;

import io.promokit.expressions.SecretMasker;
import io.promokit.spi.Credentials;
import io.promokit.spi.CredentialsProvider;
import io.promokit.spi.DockerConfigCredentials;
import io.promokit.spi.RegistryCredential;
import java.util.Optional;

/**
 * The credentials one end of a step uses at a registry, and where they came from (for messages). A user name with
 * a password or token is sent as HTTP Basic (to the registry, or to its token service); an identity token from a
 * Docker config is exchanged at the token service as an OAuth2 refresh token. {@link #toString()} never shows a
 * secret.
 *
 * @param username the user name (may be empty)
 * @param password the password or token, or null
 * @param identityToken an OAuth2 refresh token, or null
 * @param source where the credentials were found, for messages ({@code image credentials for "reg/repo"})
 */
record Login(String username, String password, String identityToken, String source) {

  /** No credentials: the registry is asked anonymously. */
  static final Login ANONYMOUS = new Login(null, null, null, "no credentials");

  boolean isAnonymous() {
    return password == null && identityToken == null && (username == null || username.isEmpty());
  }

  /**
   * The credentials for a reference: the host's provider first (image credentials at {@code registry/repository},
   * Helm credentials at {@code oci://registry/repository}, as Kargo looks them up), then the Docker config's entry
   * for the registry. Every secret found is registered with the masker.
   */
  static Login find(OciReference reference, CredentialsProvider provider, DockerConfigCredentials dockerConfig,
      SecretMasker masker) {
    Optional<Credentials> found = provider.find(reference.credentialType(), reference.credentialsUrl());
    if (found.isPresent()) {
      Credentials credentials = found.get();
      credentials.secrets().forEach(masker::registerIfMaskable);
      if (credentials.password().isPresent() || credentials.username().isPresent()) {
        return new Login(credentials.username().orElse(""), credentials.password().orElse(null), null,
            reference.credentialType().label() + " credentials for \"" + reference.credentialsUrl() + "\"");
      }
    }
    if (dockerConfig != null) {
      Optional<RegistryCredential> fromConfig = dockerConfig.find(reference.registry());
      if (fromConfig.isPresent()) {
        RegistryCredential credential = fromConfig.get();
        masker.registerIfMaskable(credential.password());
        masker.registerIfMaskable(credential.identityToken());
        return new Login(credential.username() == null ? "" : credential.username(), credential.password(),
            credential.identityToken(), "the Docker config's credentials for " + reference.registry() + " ("
                + dockerConfig.configFile() + ")");
      }
    }
    return ANONYMOUS;
  }

  @Override
  public String toString() {
    return "Login[" + source + (username == null || username.isEmpty() ? "" : ", user " + username) + "]";
  }
}
