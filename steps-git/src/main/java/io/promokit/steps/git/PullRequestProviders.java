package io.promokit.steps.git;

import io.promokit.StepContext;
import io.promokit.spi.Credentials;
import io.promokit.steps.kit.HttpClientPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link PullRequestProvider} for a repository URL, as Kargo's provider registry does: the host
 * named by a step's {@code provider}, else the one its host name gives away ({@link GitHost#infer}); the API
 * base the host overrides ({@code GitSteps.Builder.providerApi}) or the host kind's default; the token is the
 * {@code password} of the repository's git credentials. Thread-safe.
 */
final class PullRequestProviders {

  private final GitSettings settings;
  private final HttpClientPair clients;

  PullRequestProviders(GitSettings settings, HttpClientPair clients) {
    this.settings = settings;
    this.clients = clients;
  }

  /**
   * The clients of the pull-request steps, shared by every promotion of one {@link GitSteps}. Neither follows
   * redirects: a token must never follow a redirect to another host.
   */
  static HttpClientPair clients() {
    return HttpClientPair.of(() -> HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10)));
  }

  /**
   * The provider for one attempt of a step.
   *
   * @param provider the step's {@code provider}, or null to infer it from the URL
   * @throws ProviderException (not transient) when no host fits, the URL names no repository of the host, or
   *     Azure DevOps has no token
   * @throws io.promokit.StepException when the credentials provider fails
   */
  PullRequestProvider open(StepContext context, String repoUrl, String provider, boolean skipTlsVerify) {
    GitHost host = provider != null
        ? GitHost.named(provider).orElseThrow(() -> ProviderException.failure(
            "no registered providers with name \"" + provider + "\""))
        : GitHost.infer(repoUrl).orElseThrow(() -> ProviderException.failure("no registered providers for "
            + repoUrl + " (name one with provider: github, gitlab, gitea, azure or bitbucket)"));
    ProviderRepository repository = ProviderRepository.parse(host, repoUrl);
    URI base = Optional.ofNullable(settings.providerApis().get(host)).orElseGet(repository::defaultApiBase);
    Optional<String> token = token(context, repoUrl, base);
    if (host == GitHost.AZURE && token.isEmpty()) {
      throw ProviderException.failure("token is required for Azure DevOps provider (the password of the git "
          + "credentials for " + repoUrl + ")");
    }
    ProviderHttp http = new ProviderHttp(context, clients.get(skipTlsVerify), host.displayName(), base,
        headers(host, token.orElse(null)));
    return switch (host) {
      case GITHUB -> new GitHubProvider(http, repository);
      case GITLAB -> new GitLabProvider(http, repository);
      case GITEA -> new GiteaProvider(http, repository);
      case AZURE -> new AzureDevOpsProvider(context, http, repository);
      case BITBUCKET -> new BitbucketProvider(context, http, repository);
    };
  }

  /**
   * {@link #open} for a step: a provider that cannot be built is the step's error
   * {@code error creating git provider service: <why>}, as in Kargo.
   */
  PullRequestProvider openForStep(StepContext context, String repoUrl, String provider, Boolean skipTlsVerify) {
    try {
      return open(context, repoUrl, provider, Boolean.TRUE.equals(skipTlsVerify));
    } catch (ProviderException e) {
      throw PullRequestResults.error(context, "error creating git provider service", e);
    }
  }

  /**
   * The headers each host reads a token from (as Kargo's client libraries send it), plus what the host asks
   * every client to send.
   */
  static Map<String, String> headers(GitHost host, String token) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (host == GitHost.GITHUB) {
      headers.put("X-GitHub-Api-Version", "2022-11-28");
    }
    if (token != null) {
      switch (host) {
        case GITHUB, BITBUCKET -> headers.put("Authorization", "Bearer " + token);
        case GITLAB -> headers.put("PRIVATE-TOKEN", token);
        case GITEA -> headers.put("Authorization", "token " + token);
        case AZURE -> headers.put("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString((":" + token).getBytes(StandardCharsets.UTF_8)));
      }
    }
    return headers;
  }

  /** The API token: the password of the repository's git credentials, never sent over plain http unless allowed. */
  private Optional<String> token(StepContext context, String repoUrl, URI base) {
    Optional<String> password = RemoteAccess.lookup(context, settings, repoUrl).flatMap(Credentials::password);
    if (password.isPresent() && "http".equalsIgnoreCase(base.getScheme()) && !settings.allowCredentialsOverHttp()) {
      context.log().info("not sending the token to " + base + ": it is plain http:// "
          + "(set ALLOW_CREDENTIALS_OVER_HTTP=true to send it anyway)");
      return Optional.empty();
    }
    return password;
  }
}
