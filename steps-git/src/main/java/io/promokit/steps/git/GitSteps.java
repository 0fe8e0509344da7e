package io.promokit.steps.git;

import io.promokit.BackoffPolicy;
import io.promokit.RegisteredStep;
import io.promokit.spi.CredentialsProvider;
import io.promokit.spi.LeftoverSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Kargo's git steps, over the {@code git} command-line tool (2.39 or newer): {@code git-clone},
 * {@code git-clear}, {@code git-commit}, {@code git-push} and {@code git-tag}, with the host's credentials,
 * identity and signing key; and the pull-request steps {@code git-open-pr}, {@code git-wait-for-pr} and
 * {@code git-merge-pr} on GitHub (and Enterprise), GitLab, Gitea, Azure DevOps and Bitbucket Cloud over their
 * REST APIs, the token being the password of the repository's git credentials. Register {@link #steps()}
 * with a {@link io.promokit.StepRegistry}:
 *
 * <pre>{@code
 * StepRegistry registry = StepRegistry.builder()
 *     .withBuiltins()
 *     .register(GitSteps.builder()
 *         .credentials(credentials)
 *         .author("Promotion Bot", "bot@example.com")
 *         .build()
 *         .steps())
 *     .build();
 * }</pre>
 *
 * <p>Credentials reach git only through {@code GIT_ASKPASS} (a helper written outside the working directory
 * that reads the secret from its own environment) or an SSH key file (mode 0600, outside the working
 * directory); both are deleted when the step's attempt ends. Nothing is sent over plain {@code http://}
 * unless {@link Builder#allowCredentialsOverHttp(boolean)} (or {@code ALLOW_CREDENTIALS_OVER_HTTP=true}).
 * Every git process runs with a clean environment, bounded by the step's deadline, its output masked in the
 * step log (the step kit's {@link io.promokit.steps.kit.ProcessRunner}).
 *
 * <p>Pushes to the same repository and branch through one {@code GitSteps} are serialised: build one per
 * JVM and share it, as the CLI does, to serialise every promotion's pushes. Immutable and thread-safe.
 */
public final class GitSteps {

  /**
   * How {@code git-push} brings in commits the remote branch has and the worktree lacks, before it pushes
   * (Kargo's {@code GIT_PUSH_INTEGRATION_POLICY}). Not used for forced pushes and tags.
   */
  public enum PushIntegrationPolicy {
    /** {@code git pull --rebase}: the local commits are replayed on top (Kargo's default). */
    ALWAYS_REBASE("AlwaysRebase"),
    /** {@code git pull --no-rebase}: a merge commit joins both histories. */
    ALWAYS_MERGE("AlwaysMerge"),
    /**
     * Rebase when it keeps commit signatures honest (every local commit signed by a trusted key while
     * signing is set up, or every one unsigned while it is not), else merge.
     */
    REBASE_OR_MERGE("RebaseOrMerge"),
    /** As {@link #REBASE_OR_MERGE}, but the push fails instead of merging. */
    REBASE_OR_FAIL("RebaseOrFail");

    private final String kargoName;

    PushIntegrationPolicy(String kargoName) {
      this.kargoName = kargoName;
    }

    /** The name Kargo's variable and the CLI use: {@code AlwaysRebase}, ... */
    public String kargoName() {
      return kargoName;
    }

    /**
     * The policy for a name ({@code AlwaysRebase}, {@code AlwaysMerge}, {@code RebaseOrMerge},
     * {@code RebaseOrFail}; case-insensitive).
     *
     * @throws IllegalArgumentException naming the allowed values when the name is unknown
     */
    public static PushIntegrationPolicy fromName(String name) {
      for (PushIntegrationPolicy policy : values()) {
        if (policy.kargoName.equalsIgnoreCase(name == null ? "" : name.strip())) {
          return policy;
        }
      }
      throw new IllegalArgumentException("unknown push integration policy \"" + name
          + "\" (expected AlwaysRebase, AlwaysMerge, RebaseOrMerge or RebaseOrFail)");
    }
  }

  private final GitSettings settings;
  private final PushLocks pushLocks = new PushLocks();
  private final SigningKeys signingKeys = new SigningKeys();
  private final PullRequestProviders providers;

  private GitSteps(GitSettings settings) {
    this.settings = settings;
    this.providers = new PullRequestProviders(settings, PullRequestProviders.clients());
  }

  /** Git steps with default settings: no credentials, the identity {@code promokit <no-reply@promokit.io>}. */
  public static GitSteps create() {
    return builder().build();
  }

  /**
   * What the git steps of dead processes left in a scratch directory (default {@code java.io.tmpdir}): private
   * folders and GnuPG homes (their gpg-agents are killed first), for {@code PromotionReaper.Builder.source}.
   */
  public static LeftoverSource leftovers(Path scratchDirectory) {
    return new GitLeftovers(Objects.requireNonNull(scratchDirectory, "scratchDirectory must not be null"));
  }

  /** A builder for the settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** The eight steps, for {@link io.promokit.StepRegistry.Builder#register(java.util.Collection)}. */
  public List<RegisteredStep> steps() {
    return List.of(
        CloneStep.definition(settings, signingKeys),
        ClearStep.definition(settings),
        CommitStep.definition(settings, signingKeys),
        PushStep.definition(settings, signingKeys, pushLocks),
        TagStep.definition(settings, signingKeys),
        OpenPrStep.definition(settings, providers),
        WaitForPrStep.definition(providers),
        MergePrStep.definition(providers));
  }

  /** The push integration policy in effect (after the builder and the environment). */
  public PushIntegrationPolicy pushIntegrationPolicy() {
    return settings.pushPolicy();
  }

  @Override
  public String toString() {
    return "GitSteps[" + settings + "]";
  }

  /** Builds {@link GitSteps}; setters check their value and say what was wrong. */
  public static final class Builder {
    private CredentialsProvider credentials = CredentialsProvider.NONE;
    private String authorName;
    private String authorEmail;
    private String signingKey;
    private PushIntegrationPolicy pushPolicy;
    private Boolean allowCredentialsOverHttp;
    private String gitBinary = "git";
    private String gpgBinary = "gpg";
    private Map<String, String> environment;
    private Path scratchDirectory;
    private Path sshKnownHosts;
    private BackoffPolicy pushBackoff = new KargoBackoff();
    private final Map<GitHost, URI> providerApis = new EnumMap<>(GitHost.class);
    private String uiBaseUrl;

    private Builder() {}

    /** Where credentials for repositories come from (default: none, every remote is used anonymously). */
    public Builder credentials(CredentialsProvider credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials must not be null");
      return this;
    }

    /**
     * The identity of commits and tags (default: the environment's {@code GITCLIENT_NAME} and
     * {@code GITCLIENT_EMAIL}, as Kargo reads them, else {@code promokit <no-reply@promokit.io>}); a
     * {@code git-clone} step's {@code author} block wins over it, as in Kargo.
     */
    public Builder author(String name, String email) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("author name must not be blank, but was " + quote(name));
      }
      if (email == null || email.isBlank() || email.contains("<") || email.contains(">")) {
        throw new IllegalArgumentException("author email must be an address without <>, but was " + quote(email));
      }
      this.authorName = name.strip();
      this.authorEmail = email.strip();
      return this;
    }

    /**
     * An ASCII-armored GPG private key without passphrase that signs every commit and tag of a clone made
     * without an {@code author} block (a secret: never logged or written into the working directory).
     * Default: the file the environment's {@code GITCLIENT_SIGNING_KEY_PATH} names, as in Kargo, else none.
     */
    public Builder signingKey(String armoredPrivateKey) {
      if (armoredPrivateKey == null || !armoredPrivateKey.contains("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
        throw new IllegalArgumentException("signingKey must be an ASCII-armored GPG private key "
            + "(-----BEGIN PGP PRIVATE KEY BLOCK-----)");
      }
      this.signingKey = armoredPrivateKey;
      return this;
    }

    /**
     * How {@code git-push} integrates remote commits (default: the environment's
     * {@code GIT_PUSH_INTEGRATION_POLICY}, else {@link PushIntegrationPolicy#ALWAYS_REBASE}).
     */
    public Builder pushIntegrationPolicy(PushIntegrationPolicy policy) {
      this.pushPolicy = Objects.requireNonNull(policy, "pushIntegrationPolicy must not be null");
      return this;
    }

    /**
     * Whether credentials may be sent to plain {@code http://} remotes (default: the environment's
     * {@code ALLOW_CREDENTIALS_OVER_HTTP}, else false).
     */
    public Builder allowCredentialsOverHttp(boolean allow) {
      this.allowCredentialsOverHttp = allow;
      return this;
    }

    /** The git program: a name looked up on PATH or an absolute path (default {@code git}). */
    public Builder gitBinary(String gitBinary) {
      this.gitBinary = requireProgram(gitBinary, "gitBinary");
      return this;
    }

    /** The GnuPG program for signing (default {@code gpg}; {@code gpgconf} is looked up next to it). */
    public Builder gpgBinary(String gpgBinary) {
      this.gpgBinary = requireProgram(gpgBinary, "gpgBinary");
      return this;
    }

    /**
     * The host environment the settings are read from ({@code GIT_PUSH_INTEGRATION_POLICY},
     * {@code ALLOW_CREDENTIALS_OVER_HTTP}, {@code GITCLIENT_*}) and the proxy variables passed to git ({@code http_proxy},
     * {@code https_proxy}, {@code no_proxy}, upper-case too). Default: the JVM's environment.
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment must not be null"));
      return this;
    }

    /**
     * Where each attempt keeps its private files (askpass helper, SSH key, GnuPG home), in a fresh 0700
     * folder removed when the attempt ends; must be outside every working directory (default: the JVM's
     * temp directory). Keep its path short: GnuPG's socket paths must fit in 107 bytes.
     */
    public Builder scratchDirectory(Path directory) {
      this.scratchDirectory = Objects.requireNonNull(directory, "scratchDirectory must not be null").toAbsolutePath();
      return this;
    }

    /**
     * An OpenSSH known_hosts file: SSH remotes must match it (default: none, host keys are accepted
     * without a check, as Kargo does).
     */
    public Builder sshKnownHosts(Path knownHosts) {
      this.sshKnownHosts = Objects.requireNonNull(knownHosts, "sshKnownHosts must not be null").toAbsolutePath();
      return this;
    }

    /**
     * The wait between push attempts that lost a race (default: Kargo's, 1 s growing by 1.5 up to 30 s, with
     * up to 50 % jitter). Waits run on the step's clock and end at once when the step is aborted.
     */
    public Builder pushRetryBackoff(BackoffPolicy backoff) {
      this.pushBackoff = Objects.requireNonNull(backoff, "pushRetryBackoff must not be null");
      return this;
    }

    /**
     * The REST API base of a pull-request host, for every repository of that kind: {@code github}
     * ({@code https://api.github.com}, or {@code <scheme>://<host>/api/v3} for GitHub Enterprise), {@code gitlab}
     * ({@code <scheme>://<host>/api/v4}), {@code gitea} ({@code <scheme>://<host>/api/v1}), {@code azure}
     * ({@code https://dev.azure.com}, the organization follows), {@code bitbucket}
     * ({@code https://api.bitbucket.org/2.0}). Default: derived from each repository's URL as in the parentheses,
     * as Kargo does. Needed where the API is not where Kargo looks for it (a proxy, a test server).
     *
     * @param provider {@code github}, {@code gitlab}, {@code gitea}, {@code azure} or {@code bitbucket}
     * @param apiBase an absolute {@code http://} or {@code https://} URL without query or fragment
     */
    public Builder providerApi(String provider, String apiBase) {
      GitHost host = GitHost.named(provider).orElseThrow(() -> new IllegalArgumentException(
          "unknown pull request provider " + quote(provider) + " (expected azure, bitbucket, gitea, github or gitlab)"));
      providerApis.put(host, httpUrl(apiBase, "the API base of " + provider));
      return this;
    }

    /**
     * The host's web UI: {@code git-open-pr} ends each pull request's description with
     * {@code [View in Kargo UI](<url>/project/<project>/stage/<stage>)}, as Kargo does with its UI's address
     * (default: none, no link).
     */
    public Builder uiBaseUrl(String url) {
      this.uiBaseUrl = httpUrl(url, "uiBaseUrl").toString().replaceFirst("/+$", "");
      return this;
    }

    private static URI httpUrl(String url, String what) {
      URI uri;
      try {
        uri = new URI(url == null ? "" : url.strip());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(what + " must be an http:// or https:// URL, but was " + quote(url)
            + " (" + e.getReason() + ")", e);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        throw new IllegalArgumentException(what + " must be an http:// or https:// URL with a host and without "
            + "query or fragment, but was " + quote(url));
      }
      return uri;
    }

    /**
     * The git steps.
     *
     * @throws IllegalArgumentException when {@code GIT_PUSH_INTEGRATION_POLICY},
     *     {@code ALLOW_CREDENTIALS_OVER_HTTP} or {@code GITCLIENT_SIGNING_KEY_*} in the environment is wrong
     */
    public GitSteps build() {
      Map<String, String> env = environment != null ? environment : System.getenv();
      PushIntegrationPolicy policy = pushPolicy;
      if (policy == null) {
        String fromEnv = env.get("GIT_PUSH_INTEGRATION_POLICY");
        try {
          policy = fromEnv == null || fromEnv.isBlank()
              ? PushIntegrationPolicy.ALWAYS_REBASE : PushIntegrationPolicy.fromName(fromEnv);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("GIT_PUSH_INTEGRATION_POLICY: " + e.getMessage(), e);
        }
      }
      boolean allowHttp = allowCredentialsOverHttp != null
          ? allowCredentialsOverHttp : parseBool(env.get("ALLOW_CREDENTIALS_OVER_HTTP"));
      Path scratch = scratchDirectory != null ? scratchDirectory : Path.of(System.getProperty("java.io.tmpdir"));
      Identity identity = identity(env);
      return new GitSteps(new GitSettings(credentials, identity, policy, allowHttp, gitBinary, gpgBinary,
          ProxyVariables.from(env), scratch, sshKnownHosts, pushBackoff, providerApis, uiBaseUrl));
    }

    /**
     * The builder's identity, else Kargo's {@code GITCLIENT_NAME}, {@code GITCLIENT_EMAIL} and
     * {@code GITCLIENT_SIGNING_KEY_PATH} (a file holding the armored key; {@code GITCLIENT_SIGNING_KEY_TYPE}
     * must be empty or {@code gpg}), else promokit's own.
     */
    private Identity identity(Map<String, String> env) {
      String key = signingKey;
      String keyPath = env.get("GITCLIENT_SIGNING_KEY_PATH");
      if (key == null && keyPath != null && !keyPath.isBlank()) {
        String type = env.getOrDefault("GITCLIENT_SIGNING_KEY_TYPE", "");
        if (!type.isEmpty() && !type.equals("gpg")) {
          throw new IllegalArgumentException("GITCLIENT_SIGNING_KEY_TYPE: \"" + type + "\" is not supported (only gpg)");
        }
        try {
          key = java.nio.file.Files.readString(Path.of(keyPath));
        } catch (java.io.IOException e) {
          throw new IllegalArgumentException("GITCLIENT_SIGNING_KEY_PATH: cannot read " + keyPath + ": " + e, e);
        }
      }
      if (authorName != null) {
        return new Identity(authorName, authorEmail, key);
      }
      String name = env.get("GITCLIENT_NAME");
      String email = env.get("GITCLIENT_EMAIL");
      return new Identity(name == null || name.isBlank() ? Identity.DEFAULT_NAME : name,
          email == null || email.isBlank() ? Identity.DEFAULT_EMAIL : email, key);
    }

    /** Go's strconv.ParseBool, as Kargo reads the variable. */
    private static boolean parseBool(String value) {
      if (value == null || value.isEmpty()) {
        return false;
      }
      return switch (value) {
        case "1", "t", "T", "TRUE", "true", "True" -> true;
        case "0", "f", "F", "FALSE", "false", "False" -> false;
        default -> throw new IllegalArgumentException("ALLOW_CREDENTIALS_OVER_HTTP: \"" + value
            + "\" is not a boolean (expected true or false)");
      };
    }

    private static String requireProgram(String program, String what) {
      if (program == null || program.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return program;
    }

    private static String quote(String s) {
      return s == null ? "null" : "\"" + s + "\"";
    }
  }

}
