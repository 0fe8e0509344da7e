package io.promokit.steps.git;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.spi.CredentialType;
import io.promokit.spi.Credentials;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How one attempt's git processes reach a remote: with the host's credentials for its URL, or anonymously.
 * A password (or token) reaches git only through {@code GIT_ASKPASS}: a small helper script, written into
 * a private 0700 folder outside the working directory, that prints the user name or the password from the
 * environment of the git process that runs it. An SSH key goes into a 0600 file in that folder. The folder
 * is deleted by {@link #close()}. Nothing is sent to a plain {@code http://} remote unless the host allows
 * it. Every secret is registered with the promotion's masker.
 */
final class RemoteAccess implements AutoCloseable {

  static final String USERNAME_VARIABLE = "PROMOKIT_GIT_USERNAME";
  static final String PASSWORD_VARIABLE = "PROMOKIT_GIT_PASSWORD";

  /**
   * Answers git's prompts ({@code Username for 'https://host': }, {@code Password for 'https://user@host': })
   * from this process's environment, and only for the remote the credentials were found for: a submodule
   * or a redirect to another host gets nothing (git then fails there).
   */
  private static final String ASKPASS_SCRIPT = """
      #!/bin/sh
      # promokit: answers git's credential prompts for one remote, from this process's environment.
      case "$1" in
        "Username for '$PROMOKIT_GIT_ORIGIN': ")
          printf '%s\\n' "$PROMOKIT_GIT_USERNAME" ;;
        "Password for '$PROMOKIT_GIT_ORIGIN': "|"Password for '$PROMOKIT_GIT_SCHEME://"*"@$PROMOKIT_GIT_HOST': ")
          printf '%s\\n' "$PROMOKIT_GIT_PASSWORD" ;;
        *)
          echo "promokit: no credentials for this prompt ($1): they belong to $PROMOKIT_GIT_ORIGIN" >&2
          exit 1 ;;
      esac
      """;

  private final Map<String, String> environment;
  private final List<String> secrets;
  private final PrivateFolder folder;

  private RemoteAccess(Map<String, String> environment, List<String> secrets, PrivateFolder folder) {
    this.environment = environment;
    this.secrets = secrets;
    this.folder = folder;
  }

  /** No credentials. */
  static RemoteAccess anonymous() {
    return new RemoteAccess(Map.of(), List.of(), null);
  }

  /**
   * Access to {@code url} for this attempt: looks the credentials up and writes what git needs to use them.
   *
   * @throws StepException (retryable) when the credentials provider fails
   */
  static RemoteAccess open(StepContext context, GitSettings settings, String url) {
    Optional<Credentials> found = lookup(context, settings, url);
    if (found.isEmpty()) {
      return anonymous();
    }
    Credentials credentials = found.get();
    boolean ssh = isSsh(url);
    if (ssh && credentials.sshPrivateKey().isPresent()) {
      PrivateFolder folder = PrivateFolder.create(settings.scratchDirectory(), context.workdir());
      try {
        Path key = folder.writeFile("id", withFinalNewline(credentials.sshPrivateKey().get()), false);
        return new RemoteAccess(Map.of("GIT_SSH_COMMAND", SshCommand.withKey(key, settings.sshKnownHosts())),
            credentials.secrets(), folder);
      } catch (RuntimeException e) {
        folder.close();
        throw e;
      }
    }
    if (isHttp(url) && credentials.password().isPresent()) {
      PrivateFolder folder = PrivateFolder.create(settings.scratchDirectory(), context.workdir());
      try {
        Path askpass = folder.writeFile("askpass.sh", ASKPASS_SCRIPT, true);
        HttpOrigin origin = HttpOrigin.of(url);
        return new RemoteAccess(Map.of(
            "GIT_ASKPASS", askpass.toString(),
            "PROMOKIT_GIT_SCHEME", origin.scheme(),
            "PROMOKIT_GIT_HOST", origin.host(),
            "PROMOKIT_GIT_ORIGIN", origin.scheme() + "://" + origin.host(),
            USERNAME_VARIABLE, credentials.username().orElse(""),
            PASSWORD_VARIABLE, credentials.password().get()), credentials.secrets(), folder);
      } catch (RuntimeException e) {
        folder.close();
        throw e;
      }
    }
    context.log().info("the credentials found for " + url + " do not fit its transport ("
        + (ssh ? "SSH needs sshPrivateKey" : isHttp(url) ? "HTTP(S) needs a password or token"
            : "only HTTP(S) and SSH remotes take credentials") + "); going on without them");
    return anonymous();
  }

  /**
   * The host's credentials for {@code url}, their secrets registered with the promotion's masker; none for a
   * plain {@code http://} URL unless the host allows it (a line in the step log says so).
   *
   * @throws StepException (retryable) when the credentials provider fails
   */
  static Optional<Credentials> lookup(StepContext context, GitSettings settings, String url) {
    if (isPlainHttp(url) && !settings.allowCredentialsOverHttp()) {
      context.log().info("not looking up credentials for " + url + ": it is plain http:// "
          + "(set ALLOW_CREDENTIALS_OVER_HTTP=true to send them anyway)");
      return Optional.empty();
    }
    Optional<Credentials> found;
    try {
      found = settings.credentials().find(CredentialType.GIT, url);
    } catch (RuntimeException e) {
      throw new StepException("error getting credentials for " + url + ": "
          + context.masker().mask(String.valueOf(e.getMessage())), e);
    }
    found.ifPresent(credentials -> credentials.secrets().forEach(context.masker()::register));
    return found;
  }

  /** Variables git needs for these credentials. */
  Map<String, String> environment() {
    return environment;
  }

  /** The secret values git's environment holds, for the masker. */
  List<String> secrets() {
    return secrets;
  }

  /** Whether credentials are in use. */
  boolean hasCredentials() {
    return !environment.isEmpty();
  }

  static boolean isHttp(String url) {
    String u = url.strip().toLowerCase(Locale.ROOT);
    return u.startsWith("http://") || u.startsWith("https://");
  }

  static boolean isPlainHttp(String url) {
    return url.strip().toLowerCase(Locale.ROOT).startsWith("http://");
  }

  /** ssh://, git+ssh://, or SCP-style [user@]host:path. */
  static boolean isSsh(String url) {
    String u = url.strip().toLowerCase(Locale.ROOT);
    if (u.startsWith("ssh://") || u.startsWith("git+ssh://") || u.startsWith("ssh+git://")) {
      return true;
    }
    int colon = u.indexOf(':');
    int slash = u.indexOf('/');
    return !u.contains("://") && colon > 0 && (slash < 0 || colon < slash);
  }

  private static String withFinalNewline(String key) {
    return key.endsWith("\n") ? key : key + "\n";
  }

  @Override
  public void close() {
    if (folder != null) {
      folder.close();
    }
  }
}
