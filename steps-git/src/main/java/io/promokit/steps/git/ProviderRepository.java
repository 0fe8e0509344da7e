package io.promokit.steps.git;

import io.promokit.spi.CredentialType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A repository at a pull-request host, read from its URL as Kargo reads it (after git's normalisation:
 * lower-cased, without user info or {@code .git}), with the host's default API base.
 *
 * @param host the host kind
 * @param scheme {@code https} or {@code http} ({@code https} for an SSH URL)
 * @param authority host and port of the web (and API) address (an SSH URL's port is dropped)
 * @param names the repository's names: owner and repository (GitHub, Gitea, Bitbucket workspace and slug), the
 *     project path (GitLab: one element), or organization, project and repository (Azure DevOps)
 * @param url the normalised URL
 */
record ProviderRepository(GitHost host, String scheme, String authority, List<String> names, String url) {

  static final String AZURE_HOST = "dev.azure.com";

  ProviderRepository {
    names = List.copyOf(names);
  }

  /**
   * Reads a repository URL for a host.
   *
   * @throws ProviderException with Kargo's wording when the URL does not name a repository of that host
   */
  static ProviderRepository parse(GitHost host, String repoUrl) {
    String normalized = CredentialType.GIT.normalize(repoUrl);
    URI uri;
    try {
      uri = new URI(normalized);
    } catch (URISyntaxException e) {
      throw ProviderException.failure("error parsing " + host.configName() + " repository URL \"" + repoUrl + "\": "
          + e.getReason());
    }
    if (uri.getHost() == null) {
      throw ProviderException.failure("error parsing " + host.configName() + " repository URL \"" + repoUrl
          + "\": it has no host");
    }
    String scheme = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme()) ? uri.getScheme() : "https";
    boolean web = scheme.equals(uri.getScheme());
    String authority = uri.getHost() + (web && uri.getPort() > 0 ? ":" + uri.getPort() : "");
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
    List<String> parts = path.isEmpty() ? List.of() : Arrays.asList(path.split("/", -1));
    List<String> names = switch (host) {
      case GITHUB, GITEA -> twoNames(parts, normalized, "could not extract repository owner and name from URL");
      case BITBUCKET -> twoNames(parts, normalized, "invalid repository path in URL");
      case GITLAB -> {
        if (path.isEmpty()) {
          throw ProviderException.failure("could not extract the project path from URL \"" + normalized + "\"");
        }
        yield List.of(path);
      }
      case AZURE -> azureNames(uri.getHost(), parts, normalized);
    };
    return new ProviderRepository(host, scheme, authority, names, normalized);
  }

  /** The host name, without the port. */
  String hostName() {
    int colon = authority.lastIndexOf(':');
    return colon > 0 && !authority.endsWith("]") ? authority.substring(0, colon) : authority;
  }

  /**
   * The API base Kargo's client library uses for this repository when the host gives none: GitHub
   * {@code https://api.github.com}, else {@code <scheme>://<host>/api/v3}; GitLab {@code .../api/v4}; Gitea
   * {@code .../api/v1}; Azure DevOps {@code https://dev.azure.com} (the organization follows), or the server's
   * own address for Azure DevOps Server; Bitbucket Cloud {@code https://api.bitbucket.org/2.0}.
   */
  URI defaultApiBase() {
    String own = scheme + "://" + authority;
    return URI.create(switch (host) {
      case GITHUB -> hostName().equals("github.com") ? "https://api.github.com" : own + "/api/v3";
      case GITLAB -> own + "/api/v4";
      case GITEA -> own + "/api/v1";
      case AZURE -> isAzureCloud(hostName()) ? "https://" + AZURE_HOST : own;
      case BITBUCKET -> "https://api.bitbucket.org/2.0";
    });
  }

  /**
   * An Azure DevOps repository's web page (for a pull request's link when the host's answer has none):
   * {@code https://dev.azure.com/<org>/<project>/_git/<repo>}, the {@code visualstudio.com} form, or the
   * server's.
   */
  String azureWebPage() {
    String tail = "/" + names.get(1) + "/_git/" + names.get(2);
    if (hostName().endsWith(".visualstudio.com")) {
      return "https://" + hostName() + tail;
    }
    return (isAzureCloud(hostName()) ? "https://" + AZURE_HOST : scheme + "://" + authority) + "/" + names.get(0) + tail;
  }

  private static boolean isAzureCloud(String hostName) {
    return hostName.equals(AZURE_HOST) || hostName.endsWith(".visualstudio.com");
  }

  private static List<String> twoNames(List<String> parts, String url, String problem) {
    if (parts.size() != 2 || parts.get(0).isEmpty() || parts.get(1).isEmpty()) {
      throw ProviderException.failure(problem + " \"" + url + "\"");
    }
    return parts;
  }

  /**
   * {@code dev.azure.com/<org>/<project>/_git/<repo>} or {@code <org>.visualstudio.com/<project>/_git/<repo>};
   * [ours] any other host as Azure DevOps Server: {@code <host>/<collection>/<project>/_git/<repo>}.
   */
  private static List<String> azureNames(String hostName, List<String> parts, String url) {
    String host = hostName.toLowerCase(Locale.ROOT);
    if (host.endsWith(".visualstudio.com")) {
      if (parts.size() != 3 || !parts.get(1).equals("_git")) {
        throw ProviderException.failure("could not extract repository organization, project, and name from URL \""
            + url + "\"");
      }
      return List.of(host.substring(0, host.length() - ".visualstudio.com".length()), parts.get(0), parts.get(2));
    }
    if (parts.size() != 4 || !parts.get(2).equals("_git")) {
      throw ProviderException.failure("could not extract repository organization, project, and name from URL \""
          + url + "\"");
    }
    return List.of(parts.get(0), parts.get(1), parts.get(3));
  }
}
