package io.promokit.spi;

import java.util.Optional;

/**
 * Where steps find credentials for a repository or registry URL (GITOPS-STEPS.md section 2). Implemented by
 * the host; called from step threads, possibly concurrently, so implementations must be thread-safe.
 */
@FunctionalInterface
public interface CredentialsProvider {

  /** A provider that knows no credentials. */
  CredentialsProvider NONE = (type, url) -> Optional.empty();

  /**
   * The credentials for a URL, if the host has some.
   *
   * @param type what the credential is for
   * @param url the repository or registry URL as the step sees it
   */
  Optional<Credentials> find(CredentialType type, String url);
}
