package io.promokit.spi;

import io.promokit.internal.InMemoryCredentialsProvider;
import java.util.Optional;

/**
 * Where steps get credentials for the repositories they reach (git, Helm chart and image repositories): the
 * host's secret store. Kargo reads them from labelled Kubernetes Secrets; the CLI reads those same Secrets
 * from files ({@code --credentials}); a host plugs in its vault.
 *
 * <p>Called by every step that needs the network, on the step's thread, once per attempt (credentials are
 * never cached by steps); implementations must be thread-safe. Returning empty means "no credentials":
 * the step then tries anonymously. A thrown exception makes the attempt {@code Errored} (retryable) and
 * its message is shown, so it must not contain a secret.
 *
 * <p>Steps decide what to send where: as in Kargo, nothing is sent over plain {@code http://} unless the
 * host allows it ({@code ALLOW_CREDENTIALS_OVER_HTTP=true}, or the step family's builder option).
 *
 * <pre>{@code
 * CredentialsProvider credentials = CredentialsProvider.builder()
 *     .add(CredentialType.GIT, "https://github.com/example/gitops", Credentials.usernamePassword("bot", token))
 *     .addPattern(CredentialType.GIT, "^ssh://git@github\\.com/example/", Credentials.sshPrivateKey(key))
 *     .build();
 * }</pre>
 */
@FunctionalInterface
public interface CredentialsProvider {

  /** A provider that never has credentials. */
  CredentialsProvider NONE = (type, url) -> Optional.empty();

  /**
   * The credentials for a repository URL, exactly as the step was configured with it (not normalised).
   *
   * @param type what the URL points at
   * @param url the repository URL
   */
  Optional<Credentials> find(CredentialType type, String url);

  /** An in-memory provider: entries tried in the order added, the first match wins. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds an in-memory {@link CredentialsProvider} (thread-safe and immutable once built). */
  final class Builder {
    private final InMemoryCredentialsProvider.Entries entries = new InMemoryCredentialsProvider.Entries();

    private Builder() {}

    /**
     * Credentials for one repository URL; it matches a requested URL when both normalise
     * ({@link CredentialType#normalize(String)}) to the same text.
     */
    public Builder add(CredentialType type, String repoUrl, Credentials credentials) {
      entries.addExact(type, repoUrl, credentials);
      return this;
    }

    /**
     * Credentials for every URL a regular expression finds a match in (unanchored, as Go's
     * {@code MatchString}), tried against both the URL as requested and its normalised form.
     *
     * @throws IllegalArgumentException when the expression does not compile, with the compiler's reason
     */
    public Builder addPattern(CredentialType type, String repoUrlPattern, Credentials credentials) {
      entries.addPattern(type, repoUrlPattern, credentials);
      return this;
    }

    /** The provider. */
    public CredentialsProvider build() {
      return new InMemoryCredentialsProvider(entries);
    }
  }
}
