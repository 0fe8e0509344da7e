package io.promokit.steps.oci;

import io.promokit.RegisteredStep;
import io.promokit.spi.CredentialsProvider;
import io.promokit.spi.DockerConfigCredentials;
import io.promokit.steps.kit.StepDefinition;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Kargo's OCI steps for promokit: {@code oci-download} (one layer of an artifact to a file) and {@code oci-push}
 * (copy or retag an image or index, optionally annotated), speaking the OCI Distribution API over
 * {@code java.net.http}.
 *
 * <pre>{@code
 * StepRegistry registry = StepRegistry.builder()
 *     .withBuiltins()
 *     .register(OciSteps.builder().credentials(credentials).build().steps())
 *     .build();
 * }</pre>
 *
 * <p>Credentials: the host's {@link CredentialsProvider} first (type IMAGE at {@code registry/repository}, or HELM
 * at {@code oci://registry/repository} for references written with {@code oci://}, as Kargo looks them up), then
 * the Docker client configuration's entry for the registry ({@link DockerConfigCredentials}; by default the one
 * the docker CLI would use, {@link Builder#noDockerConfig()} turns it off). Secrets are registered with the
 * promotion's masker and go only into {@code Authorization} headers: never into a URL, a file or a log line; over
 * plain HTTP only when allowed ({@link Builder#credentialsOverHttp}).
 *
 * <p>Immutable and thread-safe; the steps may run in several promotions at once. Each call of {@link #steps()}
 * makes new step instances sharing this instance's HTTP clients.
 */
public final class OciSteps {

  /** Kargo's limit on a downloaded layer: 100 MiB. */
  public static final long DEFAULT_MAX_DOWNLOAD_BYTES = 100L * 1024 * 1024;
  /** Kargo's default limit on a cross-repository push: 1 GiB. */
  public static final long DEFAULT_MAX_PUSH_BYTES = 1L << 30;
  /** The environment variable Kargo reads the push limit from. */
  public static final String MAX_PUSH_VARIABLE = "MAX_OCI_PUSH_ARTIFACT_SIZE";

  private final OciSettings settings;

  private OciSteps(Builder builder) {
    RegistryTransport transport = new RegistryTransport(builder.connectTimeout, builder.stallTimeout,
        builder.credentialsOverHttp, builder.plainHttpForLocalRegistries, builder.plainHttpRegistries);
    this.settings = new OciSettings(builder.credentials, builder.dockerConfig, transport, builder.maxDownloadBytes,
        builder.maxPushBytes);
  }

  /** The steps with the defaults: no host credentials, the Docker config, Kargo's limits and plain-HTTP rules. */
  public static OciSteps create() {
    return builder().build();
  }

  /** A builder starting from the defaults of {@link #create()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The two steps, {@code oci-download} and {@code oci-push}, for {@code StepRegistry.Builder.register}. */
  public List<RegisteredStep> steps() {
    return List.of(
        StepDefinition.builder("oci-download").schemaResource(OciSteps.class, "schemas/oci-download.json")
            .run(OciDownloadStep.Config.class, new OciDownloadStep(settings)).build(),
        StepDefinition.builder("oci-push").schemaResource(OciSteps.class, "schemas/oci-push.json")
            .run(OciPushStep.Config.class, new OciPushStep(settings)).build());
  }

  /**
   * Kargo's push limit from {@value #MAX_PUSH_VARIABLE}: bytes, 0 to refuse cross-repository pushes, negative for
   * no limit; unset means 1 GiB.
   *
   * @throws IllegalArgumentException when the value is not a whole number
   */
  static long pushLimitFromEnvironment(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_MAX_PUSH_BYTES;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(MAX_PUSH_VARIABLE + " must be a whole number of bytes, but was \"" + value
          + "\"", e);
    }
  }

  /** Builds {@link OciSteps}. */
  public static final class Builder {
    private CredentialsProvider credentials = CredentialsProvider.NONE;
    private DockerConfigCredentials dockerConfig = DockerConfigCredentials.fromEnvironment();
    private boolean credentialsOverHttp = Boolean.parseBoolean(System.getenv("ALLOW_CREDENTIALS_OVER_HTTP"));
    private boolean plainHttpForLocalRegistries = true;
    private final Set<String> plainHttpRegistries = new HashSet<>();
    private long maxDownloadBytes = DEFAULT_MAX_DOWNLOAD_BYTES;
    private long maxPushBytes;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration stallTimeout = Duration.ofSeconds(60);

    private Builder() {
      String fromEnvironment = System.getenv(MAX_PUSH_VARIABLE);
      try {
        maxPushBytes = pushLimitFromEnvironment(fromEnvironment);
      } catch (IllegalArgumentException e) {
        maxPushBytes = DEFAULT_MAX_PUSH_BYTES;   // reported by build(), where the host can act on it
        invalidPushLimit = e.getMessage();
      }
    }

    private String invalidPushLimit;

    /** Credentials of type IMAGE (and HELM for {@code oci://} references); default: none. */
    public Builder credentials(CredentialsProvider provider) {
      this.credentials = Objects.requireNonNull(provider, "credentials must not be null");
      return this;
    }

    /** The Docker client configuration read after the provider; default: the docker CLI's ({@code $DOCKER_CONFIG}). */
    public Builder dockerConfig(DockerConfigCredentials config) {
      this.dockerConfig = Objects.requireNonNull(config, "dockerConfig must not be null");
      return this;
    }

    /** Reads no Docker client configuration: only the provider's credentials are used. */
    public Builder noDockerConfig() {
      this.dockerConfig = null;
      return this;
    }

    /**
     * Whether credentials may be sent to registries (and token services) over plain {@code http://}; default: the
     * {@code ALLOW_CREDENTIALS_OVER_HTTP} environment variable, as in Kargo.
     */
    public Builder credentialsOverHttp(boolean allowed) {
      this.credentialsOverHttp = allowed;
      return this;
    }

    /**
     * Whether registries on loopback or private addresses, {@code localhost} and {@code .local} names may be reached
     * over plain HTTP when HTTPS cannot connect, as go-containerregistry (and so Kargo) allows; default true.
     */
    public Builder plainHttpForLocalRegistries(boolean allowed) {
      this.plainHttpForLocalRegistries = allowed;
      return this;
    }

    /**
     * Registries ({@code host} or {@code host:port}) that speak plain HTTP: reached over {@code http://} only, with
     * no HTTPS attempt first.
     */
    public Builder plainHttpRegistries(String... registries) {
      for (String registry : registries) {
        if (registry == null || registry.isBlank() || registry.contains("/")) {
          throw new IllegalArgumentException("plainHttpRegistries takes host or host:port, but was \"" + registry
              + "\"");
        }
        plainHttpRegistries.add(registry.toLowerCase(Locale.ROOT));
      }
      return this;
    }

    /** The largest layer oci-download saves (default 100 MiB, as Kargo). */
    public Builder maxDownloadBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxDownloadBytes must be positive, but was " + bytes);
      }
      this.maxDownloadBytes = bytes;
      return this;
    }

    /**
     * The largest artifact oci-push copies to another repository: 0 refuses such copies, a negative value means
     * no limit; default: {@value #MAX_PUSH_VARIABLE} from the environment, else 1 GiB (as Kargo).
     */
    public Builder maxPushBytes(long bytes) {
      this.maxPushBytes = bytes;
      this.invalidPushLimit = null;
      return this;
    }

    /** How long connecting to a registry may take; default 30 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /**
     * How long a registry may stay silent: before its answer's headers, and between two pieces of a body;
     * default 60 s. A stalled transfer is an error (retryable), whatever the step's own timeout.
     */
    public Builder stallTimeout(Duration timeout) {
      this.stallTimeout = positive("stallTimeout", timeout);
      return this;
    }

    /**
     * The steps.
     *
     * @throws IllegalArgumentException when {@value #MAX_PUSH_VARIABLE} is set to something other than a whole
     *     number and no {@link #maxPushBytes} was given
     */
    public OciSteps build() {
      if (invalidPushLimit != null) {
        throw new IllegalArgumentException(invalidPushLimit);
      }
      return new OciSteps(this);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name + " must not be null");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, but was " + value);
      }
      return value;
    }
  }
}
