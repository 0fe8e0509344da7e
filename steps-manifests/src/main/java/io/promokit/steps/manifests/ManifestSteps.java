package io.promokit.steps.manifests;

import io.promokit.RegisteredStep;
import io.promokit.spi.CredentialsProvider;
import io.promokit.steps.manifests.internal.helm.HelmWorkspace;
import java.nio.file.Path;
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
 * manifests.close();   // when the host shuts down: removes the extracted Helm library
 * }</pre>
 *
 * <p>{@code kustomize-build} runs the {@code kustomize} binary, or {@code kubectl kustomize} where only kubectl
 * is installed. The Helm steps use Helm's Go SDK from helm-java, each call in a child JVM of its own (its own
 * Helm home, registry logins and temp files; killed on abort). Their files live in
 * {@code <tempRoot>/promokit-helm-<pid>-<random>/}, removed by {@link #close()}; {@link #reap(Path)} removes
 * those of dead processes. Thread-safe: the steps may run in several promotions at once.
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

  public static Builder builder() {
    return new Builder();
  }

  /** The four steps, kind {@link io.promokit.StepKind#BUILTIN}, each with its config schema and description. */
  public List<RegisteredStep> steps() {
    return steps;
  }

  /** Removes this instance's Helm folder (the extracted native library); running Helm calls fail afterwards. */
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

    /** The {@code java} binary that runs the Helm child processes; default: this JVM's. */
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

    public ManifestSteps build() {
      return new ManifestSteps(new Tools(kustomize, kubectl, helmCommand, javaBinary, tempRoot, credentials,
          freightImages, credentialsOverHttp));
    }
  }
}
