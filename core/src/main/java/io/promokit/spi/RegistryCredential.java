package io.promokit.spi;

import java.util.Objects;

/**
 * Credentials for one image registry, as a Docker config's {@code auths} entry holds them.
 *
 * @param registry the registry's address as the image names it ({@code registry.example.com:5000},
 *     {@code docker.io})
 * @param username the user name, or null with an identity token
 * @param password the password or token
 * @param identityToken an OAuth identity token, or null
 */
public record RegistryCredential(String registry, String username, String password, String identityToken) {
  public RegistryCredential {
    Objects.requireNonNull(registry, "registry must not be null");
  }

  /** Never prints the password or token. */
  @Override
  public String toString() {
    return "RegistryCredential[" + registry + ", user=" + username + "]";
  }
}
