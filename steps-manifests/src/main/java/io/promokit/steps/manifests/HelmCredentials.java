package io.promokit.steps.manifests;

import io.promokit.expressions.SecretMasker;
import io.promokit.spi.CredentialType;
import io.promokit.spi.Credentials;
import io.promokit.spi.CredentialsProvider;
import io.promokit.steps.manifests.internal.helm.ChartRepositoryProxy;
import io.promokit.steps.manifests.internal.helm.HelmChild;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Sets up the repositories and registry logins a Helm call needs from a chart's dependencies, as Kargo's
 * ephemeral dependency manager does: each OCI registry host one login (credentials looked up at
 * {@code oci://<repository>/<name>}), each HTTP(S) repository with {@code helm} credentials for its exact URL
 * a route through the call's {@link ChartRepositoryProxy} (plain {@code http://} only when credentials over
 * HTTP are allowed). Every secret found is registered with the promotion's masker.
 */
final class HelmCredentials {

  private final CredentialsProvider provider;
  private final boolean overHttp;
  private final SecretMasker masker;

  HelmCredentials(CredentialsProvider provider, boolean overHttp, SecretMasker masker) {
    this.provider = provider;
    this.overHttp = overHttp;
    this.masker = masker;
  }

  UnaryOperator<String> masker(io.promokit.StepContext context) {
    return masker::mask;
  }

  /**
   * Sets up what the call needs for the dependencies of the chart at {@code chart}: one registry login per OCI
   * host with credentials, a check that each HTTP(S) repository's index can be read, and, when some HTTP(S)
   * repositories have credentials, a proxy that adds them (attached to the call; Helm must then work on a
   * {@link io.promokit.steps.manifests.internal.helm.ShadowChart} whose URLs point at it).
   *
   * @return the proxy, when one is needed
   */
  @SuppressWarnings("unchecked")
  Optional<ChartRepositoryProxy> addLogins(HelmChild.Call call, Path chart) throws IOException {
    if (!Files.isDirectory(chart)) {
      return Optional.empty();
    }
    Map<String, Object> chartYaml = ChartYaml.read(chart);
    List<Object> dependencies = chartYaml.get("dependencies") instanceof List<?> l ? (List<Object>) l : List.of();
    Map<String, HelmChild.Login> logins = new LinkedHashMap<>();
    Map<String, ChartRepositoryProxy.Upstream> proxied = new LinkedHashMap<>();
    for (Object dependency : dependencies) {
      if (!(dependency instanceof Map<?, ?> map)) {
        continue;
      }
      String repository = String.valueOf(map.get("repository") == null ? "" : map.get("repository"));
      String name = String.valueOf(map.get("name"));
      if (repository.startsWith("oci://")) {
        String normalized = repository.substring("oci://".length()).replaceAll("/+$", "");
        String host = normalized.contains("/") ? normalized.substring(0, normalized.indexOf('/')) : normalized;
        if (!logins.containsKey(host)) {
          Optional<Credentials> found = find("oci://" + normalized + "/" + name);
          if (found.isPresent()) {
            logins.put(host, new HelmChild.Login(host, found.get().username().orElse(""),
                found.get().password().orElse(""), plainHttp(host)));
          }
        }
      } else if ((repository.startsWith("http://") || repository.startsWith("https://"))
          && !proxied.containsKey(repository)) {
        boolean plain = repository.startsWith("http://");
        Optional<Credentials> found = plain && !overHttp ? Optional.empty() : find(repository);
        checkIndex(repository, found);
        found.ifPresent(c -> proxied.put(repository, new ChartRepositoryProxy.Upstream(repository,
            c.username().orElse(""), c.password().orElse(""))));
      }
    }
    logins.values().forEach(call::login);
    if (proxied.isEmpty()) {
      return Optional.empty();
    }
    ChartRepositoryProxy proxy = ChartRepositoryProxy.start(List.copyOf(proxied.values()));
    call.attach(proxy);
    return Optional.of(proxy);
  }

  private Optional<Credentials> find(String url) {
    Optional<Credentials> found = provider.find(CredentialType.HELM, url);
    found.ifPresent(c -> c.secrets().forEach(masker::register));
    return found;
  }

  /**
   * Reads a repository's {@code index.yaml} before Helm runs (Kargo downloads it first too), so a repository
   * that cannot be read, or refuses the credentials, fails with its own HTTP status and a clear message
   * instead of Helm's.
   */
  private void checkIndex(String repository, Optional<Credentials> credentials) throws IOException {
    String base = repository.endsWith("/") ? repository : repository + "/";
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "index.yaml")).timeout(Duration.ofMinutes(2));
    credentials.ifPresent(c -> request.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
        (c.username().orElse("") + ":" + c.password().orElse("")).getBytes(StandardCharsets.UTF_8))));
    HttpResponse<Void> response;
    try {
      response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
          .followRedirects(HttpClient.Redirect.NORMAL).build()
          .send(request.build(), HttpResponse.BodyHandlers.discarding());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while downloading the index of " + repository);
    } catch (IOException e) {
      throw new io.promokit.StepException("failed to download the index of chart repository " + repository + ": "
          + e.getMessage(), e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new io.promokit.StepException("failed to download the index of chart repository " + repository
          + ": HTTP " + response.statusCode() + (response.statusCode() == 401 || response.statusCode() == 403
              ? (credentials.isPresent() ? " (the helm credentials for it were refused)"
                  : " (no helm credentials for it" + (repository.startsWith("http://") && !overHttp
                      ? " are sent over plain http unless ALLOW_CREDENTIALS_OVER_HTTP=true" : "") + ")")
              : ""));
    }
  }

  /** Whether a registry speaks plain HTTP (it answers on http:// but not on https://). */
  private static boolean plainHttp(String host) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    try {
      client.send(HttpRequest.newBuilder(URI.create("https://" + host + "/v2/")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding());
      return false;
    } catch (IOException e) {
      try {
        client.send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding());
        return true;
      } catch (IOException | InterruptedException again) {
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
