package io.promokit.steps.manifests;

import io.promokit.expressions.SecretMasker;
import io.promokit.spi.CredentialType;
import io.promokit.spi.Credentials;
import io.promokit.spi.CredentialsProvider;
import io.promokit.steps.manifests.internal.helm.HelmChild;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Sets up the repositories and registry logins a Helm call needs from a chart's dependencies, as Kargo's
 * ephemeral dependency manager does: each HTTP(S) repository gets an entry in the call's own
 * {@code repositories.yaml} (named by the SHA-256 of its URL, with {@code helm} credentials for that URL), each
 * OCI registry host one login (credentials looked up at {@code oci://<repository>/<name>}). Every secret found
 * is registered with the promotion's masker.
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

  /** Writes the repositories and logins for the dependencies of the chart at {@code chart} into the call. */
  @SuppressWarnings("unchecked")
  void addLogins(HelmChild.Call call, Path chart) throws IOException {
    if (!Files.isDirectory(chart)) {
      return;
    }
    Map<String, Object> chartYaml = ChartYaml.read(chart);
    List<Object> dependencies = chartYaml.get("dependencies") instanceof List<?> l ? (List<Object>) l : List.of();
    Map<String, HelmChild.Login> logins = new LinkedHashMap<>();
    StringBuilder repositories = new StringBuilder("apiVersion: v1\ngenerated: \"0001-01-01T00:00:00Z\"\nrepositories:\n");
    boolean anyRepository = false;
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
      } else if (repository.startsWith("http://") || repository.startsWith("https://")) {
        anyRepository = true;
        String entryName = nameFor(repository);
        repositories.append("- name: ").append(quoted(entryName)).append('\n')
            .append("  url: ").append(quoted(repository)).append('\n');
        boolean plain = repository.startsWith("http://");
        Optional<Credentials> found = plain && !overHttp ? Optional.empty() : find(repository);
        downloadIndex(repository, found, call.helmHome().resolve("cache/repository/" + entryName + "-index.yaml"));
        if (found.isPresent()) {
          // helm-java 0.0.21 builds Helm's dependency manager without a repository config, so every HTTP(S)
          // repository is "unmanaged" and gets no credentials: say so rather than fail later with a 401.
          throw io.promokit.StepException.terminal("the chart repository " + repository + " needs credentials, which "
              + "helm-java 0.0.21's dependency update cannot send to HTTP(S) repositories (it reads no repository "
              + "config); serve the chart from an OCI registry, or from a repository that needs no credentials");
        }
        if (found.isPresent()) {
          repositories.append("  username: ").append(quoted(found.get().username().orElse(""))).append('\n')
              .append("  password: ").append(quoted(found.get().password().orElse(""))).append('\n');
        }
      }
    }
    logins.values().forEach(call::login);
    if (anyRepository) {
      Path config = call.helmHome().resolve("config");
      Files.createDirectories(config);
      Path file = config.resolve("repositories.yaml");
      Files.writeString(file, repositories.toString(), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
  }

  private Optional<Credentials> find(String url) {
    Optional<Credentials> found = provider.find(CredentialType.HELM, url);
    found.ifPresent(c -> c.secrets().forEach(masker::register));
    return found;
  }

  /**
   * Fetches a repository's {@code index.yaml} into the call's Helm cache before Helm runs (as Kargo does), so a
   * repository that cannot be read fails with its own HTTP status instead of Helm's "no cached repository".
   */
  private void downloadIndex(String repository, Optional<Credentials> credentials, Path target) throws IOException {
    String base = repository.endsWith("/") ? repository : repository + "/";
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "index.yaml")).timeout(Duration.ofMinutes(2));
    credentials.ifPresent(c -> request.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
        (c.username().orElse("") + ":" + c.password().orElse("")).getBytes(StandardCharsets.UTF_8))));
    HttpResponse<byte[]> response;
    try {
      response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
          .followRedirects(HttpClient.Redirect.NORMAL).build()
          .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
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
    Files.createDirectories(target.getParent());
    Files.write(target, response.body());
  }

  /** The repository entry's name: the one Helm's dependency manager gives a repository it manages itself. */
  static String nameFor(String url) {
    try {
      String cleaned = url.replaceAll("/+$", "");
      return "helm-manager-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cleaned.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
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

  private static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
