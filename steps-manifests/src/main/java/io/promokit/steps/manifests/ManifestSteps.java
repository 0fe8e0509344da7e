package io.promokit.steps.manifests;

import io.promokit.RegisteredStep;
import io.promokit.spi.CredentialsProvider;
import io.promokit.spi.LeftoverSource;
import io.promokit.steps.manifests.internal.helm.HelmWorkspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Kargo's manifest steps: {@code kustomize-set-image}, {@code kustomize-build}, {@code helm-template} and
 * {@code helm-update-chart} (docs/steps). Register them next to the built-ins:
 *
 * <pre>{@code
 * ManifestSteps manifests = ManifestSteps.builder().credentials(credentials).build();
 * StepRegistry registry = StepRegistry.builder().withBuiltins().register(manifests.steps()).build();
 * ...
 * manifests.close();   // when the host shuts down: stops the Helm workers, removes the extracted Helm library
 * }</pre>
 *
 * <p>{@code kustomize-build} runs the {@code kustomize} binary, or {@code kubectl kustomize} where only kubectl
 * is installed. The Helm steps use Helm's Go SDK from helm-java in Helm worker JVMs: started on the first Helm
 * call, reused across calls and promotions (at most {@link Builder#helmWorkers} at once, each serving one
 * call at a time), stopped after {@link Builder#helmIdleTimeout} without calls and by {@link #close()}. Each
 * call still gets its own Helm home, registry logins, repository cache and temp folder, removed after it; an
 * abort or the deadline kills the worker serving the call (the next call starts a new one); a worker exits
 * when the host JVM dies. Their files live in {@code <tempRoot>/promokit-helm-<pid>-<random>/}, removed by
 * {@link #close()}; {@link #reap(Path)} removes those of dead processes. Thread-safe: the steps may run in
 * several promotions at once.
 */
public final class ManifestSteps implements AutoCloseable {

  private final Tools tools;
  private final List<RegisteredStep> steps;

  private ManifestSteps(Tools tools) {
    this.tools = tools;
    this.steps = List.of(
        KustomizeSetImageStep.definition(tools),
        KustomizeBuildStep.definition(tools),
        HelmTemplateStep.definition(tools),
        HelmUpdateChartStep.definition(tools));
  }

  /** The steps with the default settings: binaries from PATH, no credentials, no Freight images. */
  public static ManifestSteps create() {
    return builder().build();
  }

  /** A builder starting from the defaults of {@link #create()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The four steps, kind {@link io.promokit.StepKind#BUILTIN}, each with its config schema and description. */
  public List<RegisteredStep> steps() {
    return steps;
  }

  /**
   * Stops the Helm workers and removes this instance's Helm folder (the extracted native library); running
   * Helm calls fail afterwards.
   */
  @Override
  public void close() {
    tools.close();
  }

  /**
   * Removes what the Helm steps of crashed or killed processes left under {@code tempRoot}: folders named
   * {@code promokit-helm-<pid>-*} whose process is no longer alive.
   *
   * @return how many folders were removed
   */
  public static int reap(Path tempRoot) {
    return HelmWorkspace.reap(tempRoot);
  }

  /**
   * The folders {@link #reap(Path)} removes, for {@code PromotionReaper.Builder.source}: Helm folders under
   * {@code tempRoot} whose process is gone.
   */
  public static LeftoverSource leftovers(Path tempRoot) {
    return HelmWorkspace.leftovers(Objects.requireNonNull(tempRoot, "tempRoot must not be null"));
  }

  /** The default temp root: {@code java.io.tmpdir}. */
  public static Path defaultTempRoot() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  /** Builds {@link ManifestSteps}. */
  public static final class Builder {
    private Path kustomize;
    private Path kubectl;
    private String helmCommand = "helm";
    private Path javaBinary = Path.of(System.getProperty("java.home"), "bin", "java");
    private Path tempRoot = defaultTempRoot();
    private CredentialsProvider credentials = CredentialsProvider.NONE;
    private FreightImageSource freightImages;
    private boolean credentialsOverHttp = Boolean.parseBoolean(System.getenv("ALLOW_CREDENTIALS_OVER_HTTP"));
    private int helmWorkers = 2;
    private Duration helmIdleTimeout = Duration.ofMinutes(5);

    private Builder() {}

    /** The {@code kustomize} binary (run as {@code kustomize build}); default: found on PATH. */
    public Builder kustomize(Path binary) {
      this.kustomize = Objects.requireNonNull(binary, "kustomize must not be null");
      return this;
    }

    /** The {@code kubectl} binary (run as {@code kubectl kustomize}), used when no kustomize is set or found. */
    public Builder kubectl(Path binary) {
      this.kubectl = Objects.requireNonNull(binary, "kubectl must not be null");
      return this;
    }

    /** The {@code helm} command kustomize runs for {@code helmCharts}; default {@code helm} from PATH. */
    public Builder helmCommand(String command) {
      if (command == null || command.isBlank()) {
        throw new IllegalArgumentException("helmCommand must not be empty");
      }
      this.helmCommand = command;
      return this;
    }

    /** The {@code java} binary that runs the Helm worker JVMs; default: this JVM's. */
    public Builder javaBinary(Path binary) {
      this.javaBinary = Objects.requireNonNull(binary, "javaBinary must not be null");
      return this;
    }

    /** Where the Helm folder is made; default {@code java.io.tmpdir}. */
    public Builder tempRoot(Path folder) {
      this.tempRoot = Objects.requireNonNull(folder, "tempRoot must not be null");
      return this;
    }

    /** Credentials of type HELM for chart repositories and OCI registries; default: none. */
    public Builder credentials(CredentialsProvider provider) {
      this.credentials = Objects.requireNonNull(provider, "credentials must not be null");
      return this;
    }

    /** The Freight's images for {@code kustomize-set-image} without {@code images}; default: none (an error). */
    public Builder freightImages(FreightImageSource source) {
      this.freightImages = Objects.requireNonNull(source, "freightImages must not be null");
      return this;
    }

    /**
     * Whether credentials may be sent to plain {@code http://} chart repositories; default: the
     * {@code ALLOW_CREDENTIALS_OVER_HTTP} environment variable, as in Kargo.
     */
    public Builder credentialsOverHttp(boolean allowed) {
      this.credentialsOverHttp = allowed;
      return this;
    }

    /**
     * How many Helm worker JVMs may run at once, each serving one Helm call at a time; default 2. A Helm call
     * while all are busy waits (within its step's deadline) for one to be free. Each worker is a JVM with
     * Helm's native library (about 100 MB of address space, shared pages) and Helm's own memory use.
     */
    public Builder helmWorkers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("helmWorkers must be at least 1, but was " + workers);
      }
      this.helmWorkers = workers;
      return this;
    }

    /**
     * How long a Helm worker may stay without calls before it is stopped; default 5 minutes. The next Helm call
     * then starts a new one (a few hundred milliseconds).
     */
    public Builder helmIdleTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "helmIdleTimeout must not be null");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("helmIdleTimeout must not be negative, but was " + timeout);
      }
      this.helmIdleTimeout = timeout;
      return this;
    }

    /** The steps with these settings. */
    public ManifestSteps build() {
      return new ManifestSteps(new Tools(kustomize, kubectl, helmCommand, javaBinary, tempRoot, credentials,
          freightImages, credentialsOverHttp, helmWorkers, helmIdleTimeout));
    }
  }
}
