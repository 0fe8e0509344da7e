package io.promokit.steps.git;

import io.promokit.BackoffPolicy;
import io.promokit.spi.CredentialsProvider;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** What a {@link GitSteps} was built with, resolved against the host environment; immutable. */
record GitSettings(
    CredentialsProvider credentials,
    Identity identity,
    GitSteps.PushIntegrationPolicy pushPolicy,
    boolean allowCredentialsOverHttp,
    String gitBinary,
    String gpgBinary,
    Map<String, String> proxyVariables,
    Path scratchDirectory,
    Path sshKnownHosts,
    BackoffPolicy pushBackoff,
    Map<GitHost, URI> providerApis,
    String uiBaseUrl) {

  GitSettings {
    providerApis = Map.copyOf(providerApis);
  }

  /** What to say when git is missing. */
  static final String GIT_HINT = "install git 2.39 or newer (Debian: apt-get install git)";

  /** What to say when gpg is missing. */
  static final String GPG_HINT = "install GnuPG to sign commits (Debian: apt-get install gnupg)";

  @Override
  public String toString() {
    return "identity=" + identity + ", pushPolicy=" + pushPolicy.kargoName()
        + ", allowCredentialsOverHttp=" + allowCredentialsOverHttp + ", git=" + gitBinary
        + (providerApis.isEmpty() ? "" : ", providerApis=" + new TreeMap<>(providerApis))
        + (uiBaseUrl == null ? "" : ", uiBaseUrl=" + uiBaseUrl);
  }
}
