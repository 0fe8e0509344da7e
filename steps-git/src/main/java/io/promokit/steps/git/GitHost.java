package io.promokit.steps.git;

import io.promokit.spi.CredentialType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The git hosting services Kargo knows by name, with its rules to recognise one from a repository URL's host
 * and the web address of a commit there. The pull-request steps build on the same names.
 */
enum GitHost {
  GITHUB("github", "GitHub"),
  GITLAB("gitlab", "GitLab"),
  GITEA("gitea", "Gitea"),
  AZURE("azure", "Azure DevOps"),
  BITBUCKET("bitbucket", "Bitbucket");

  private final String configName;
  private final String displayName;

  GitHost(String configName, String displayName) {
    this.configName = configName;
    this.displayName = displayName;
  }

  /** The host's name in messages. */
  String displayName() {
    return displayName;
  }

  /** The name a step's {@code provider} field uses. */
  String configName() {
    return configName;
  }

  /** The host named by a step's {@code provider} field. */
  static Optional<GitHost> named(String name) {
    for (GitHost host : values()) {
      if (host.configName.equals(name)) {
        return Optional.of(host);
      }
    }
    return Optional.empty();
  }

  /**
   * The host a repository URL belongs to, by Kargo's predicates on the host name, tried in this enum's order
   * (Kargo iterates a Go map, so its order is random when several match).
   */
  static Optional<GitHost> infer(String repoUrl) {
    return parse(repoUrl).flatMap(uri -> {
      String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
      if (host.contains("github") || host.endsWith(".ghe.com")) {
        return Optional.of(GITHUB);
      }
      if (host.contains("gitlab")) {
        return Optional.of(GITLAB);
      }
      if (host.contains("gitea")) {
        return Optional.of(GITEA);
      }
      // [ours] ssh.dev.azure.com and vs-ssh.visualstudio.com are Azure's SSH hosts.
      if (host.equals("dev.azure.com") || host.equals("ssh.dev.azure.com") || host.endsWith("visualstudio.com")) {
        return Optional.of(AZURE);
      }
      if (host.equals("bitbucket.org")) {
        return Optional.of(BITBUCKET);
      }
      return Optional.empty();
    });
  }

  /**
   * The web page of a commit, from the normalised repository URL (lower-cased, no {@code .git}), as Kargo
   * builds it; Azure DevOps too (Kargo never builds one there: its provider needs a token).
   */
  Optional<String> commitUrl(String repoUrl, String sha) {
    return parse(repoUrl).flatMap(uri -> {
      String host = uri.getHost();
      if (host == null) {
        return Optional.empty();
      }
      String authority = uri.getPort() > 0 && !isSsh(uri) ? host + ":" + uri.getPort() : host;
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      return switch (this) {
        case GITHUB -> ownerAndRepo(path).map(p -> "https://" + authority + p + "/commit/" + sha);
        case GITLAB -> Optional.of("https://" + authority + path + "/-/commit/" + sha);
        case GITEA -> Optional.of("https://" + authority + path + "/commit/" + sha);
        case BITBUCKET -> Optional.of("https://" + authority + path + "/commits/" + sha);
        case AZURE -> azureRepoPage(host, path).map(page -> page + "/commit/" + sha);
      };
    });
  }

  private static boolean isSsh(URI uri) {
    return "ssh".equals(uri.getScheme());
  }

  /** {@code /owner/repo} from a path that may hold more. */
  private static Optional<String> ownerAndRepo(String path) {
    String[] parts = path.replaceFirst("^/", "").split("/");
    if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("/" + parts[0] + "/" + parts[1]);
  }

  /**
   * The repository's web page on Azure DevOps: {@code https://dev.azure.com/<org>/<project>/_git/<repo>} or
   * {@code https://<org>.visualstudio.com/<project>/_git/<repo>}, from an HTTPS or an SSH ({@code v3/...}) URL.
   */
  private static Optional<String> azureRepoPage(String host, String path) {
    String[] parts = path.replaceFirst("^/", "").split("/");
    if (host.equals("dev.azure.com") && parts.length >= 4 && parts[2].equals("_git")) {
      return Optional.of("https://dev.azure.com/" + parts[0] + "/" + parts[1] + "/_git/" + parts[3]);
    }
    if (host.equals("ssh.dev.azure.com") && parts.length >= 4 && parts[0].equals("v3")) {
      return Optional.of("https://dev.azure.com/" + parts[1] + "/" + parts[2] + "/_git/" + parts[3]);
    }
    if (host.endsWith(".visualstudio.com") && !host.startsWith("vs-ssh.") && parts.length >= 3
        && parts[1].equals("_git")) {
      return Optional.of("https://" + host + "/" + parts[0] + "/_git/" + parts[2]);
    }
    if (host.equals("vs-ssh.visualstudio.com") && parts.length >= 4 && parts[0].equals("v3")) {
      return Optional.of("https://" + parts[1] + ".visualstudio.com/" + parts[2] + "/_git/" + parts[3]);
    }
    return Optional.empty();
  }

  /** The URL as a URI after git normalisation (SCP-style becomes {@code ssh://}); empty when unparsable. */
  private static Optional<URI> parse(String repoUrl) {
    String normalized = CredentialType.GIT.normalize(repoUrl);
    try {
      URI uri = new URI(normalized);
      return uri.getScheme() == null ? Optional.empty() : Optional.of(uri);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
