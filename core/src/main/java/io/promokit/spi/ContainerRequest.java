package io.promokit.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link ContainerRuntime} needs to run one attempt of a container step. Built by the
 * engine from a {@code CustomPromotionStep} definition; immutable.
 *
 * <p>What the container gets: the shared working directory mounted at {@link #WORKSPACE} as its working
 * directory; the env of the request plus {@code KARGO_OUTPUT}, the path of an empty file outside the
 * workspace that the runtime creates and whose content {@link ContainerHandle#readOutputFile(long)}
 * returns; the files of the request read-only in a directory named by {@code PROMOKIT_FILES}.
 *
 * <p>Env values named in {@link #secretEnvNames()} are secrets: a runtime must keep them out of anything
 * that outlives the step or that others may read (a container's configuration, a Pod spec), and hand them
 * to the process another way (a file read at start, a Kubernetes Secret).
 */
public final class ContainerRequest {

  /** Where the shared working directory is mounted in the container. */
  public static final String WORKSPACE = "/workspace";
  /** The default user: an unprivileged uid that distroless images also use. */
  public static final int DEFAULT_USER = 65532;
  /** The default time between SIGTERM and SIGKILL. */
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(10);

  private static final Pattern SECRET_ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final String name;
  private final String image;
  private final PullPolicy pullPolicy;
  private final List<String> command;
  private final Map<String, String> env;
  private final Set<String> secretEnvNames;
  private final String definition;
  private final ContainerNetwork network;
  private final Path workdir;
  private final int user;
  private final Integer group;
  private final ResourceRequirements resources;
  private final Map<String, String> labels;
  private final List<String> pullSecretNames;
  private final List<RegistryCredential> pullCredentials;
  private final Duration gracePeriod;
  private final List<ContainerFile> files;

  private ContainerRequest(Builder b) {
    this.name = b.name;
    this.image = b.image;
    this.pullPolicy = b.pullPolicy;
    this.command = List.copyOf(b.command);
    this.env = Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
    this.secretEnvNames = Collections.unmodifiableSet(new LinkedHashSet<>(b.secretEnvNames));
    this.definition = b.definition;
    this.network = b.network;
    this.workdir = b.workdir;
    this.user = b.user;
    this.group = b.group;
    this.resources = b.resources;
    this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
    this.pullSecretNames = List.copyOf(b.pullSecretNames);
    this.pullCredentials = List.copyOf(b.pullCredentials);
    this.gracePeriod = b.gracePeriod;
    this.files = List.copyOf(b.files);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A name for the container, unique per promotion, step and attempt, valid as a DNS-1123 label (at most
   * 63 lower-case letters, digits and dashes). Runtimes may use it as the container or Pod name.
   */
  public String name() {
    return name;
  }

  public String image() {
    return image;
  }

  public PullPolicy pullPolicy() {
    return pullPolicy;
  }

  /** The argv to run (the image's entrypoint is replaced); never empty. */
  public List<String> command() {
    return command;
  }

  /** Environment variables in order (the runtime adds {@code KARGO_OUTPUT} and {@code PROMOKIT_FILES}). */
  public Map<String, String> env() {
    return env;
  }

  /**
   * The names of the {@link #env()} values that are secrets (capability grants, values computed from
   * {@code secret()}), in order. A runtime never writes them into a container's configuration.
   */
  public Set<String> secretEnvNames() {
    return secretEnvNames;
  }

  /** Whether the env value of that name is a secret. */
  public boolean isSecretEnv(String name) {
    return secretEnvNames.contains(name);
  }

  /**
   * The name of the {@code CustomPromotionStep} this container runs (what templates write after
   * {@code uses:}), or null for a request built by hand. A host's per-definition allowances
   * ({@link ContainerPolicy.Allowance}) are looked up by it.
   */
  public @Nullable String definition() {
    return definition;
  }

  /** The network the container gets: the runtime's ({@link ContainerNetwork#DEFAULT}) or none. */
  public ContainerNetwork network() {
    return network;
  }

  /** The host path of the promotion's shared working directory, mounted at {@link #WORKSPACE}. */
  public Path workdir() {
    return workdir;
  }

  /** The uid the command runs as. */
  public int user() {
    return user;
  }

  /** The gid (or fsGroup) the command runs with, or null for the runtime's choice. */
  public @Nullable Integer group() {
    return group;
  }

  public ResourceRequirements resources() {
    return resources;
  }

  /** Labels to put on the container; always includes the {@link ContainerLabels} keys. */
  public Map<String, String> labels() {
    return labels;
  }

  /** The definition's {@code imagePullSecrets} names (Kubernetes uses them as they are). */
  public List<String> pullSecretNames() {
    return pullSecretNames;
  }

  /** Credentials resolved by the host for those names (Docker uses them). */
  public List<RegistryCredential> pullCredentials() {
    return pullCredentials;
  }

  /** Time between SIGTERM and SIGKILL when the container is stopped. */
  public Duration gracePeriod() {
    return gracePeriod;
  }

  /** Files to give the container read-only. */
  public List<ContainerFile> files() {
    return files;
  }

  @Override
  public String toString() {
    // Never the env: it may hold secrets.
    return "ContainerRequest[" + name + ", image=" + image + ", command=" + command + "]";
  }

  /** Builds {@link ContainerRequest}s; {@link #build()} checks that image, command, workdir and name are set. */
  public static final class Builder {
    private String name;
    private String image;
    private PullPolicy pullPolicy = PullPolicy.IF_NOT_PRESENT;
    private List<String> command = List.of();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Set<String> secretEnvNames = new LinkedHashSet<>();
    private String definition;
    private ContainerNetwork network = ContainerNetwork.DEFAULT;
    private Path workdir;
    private int user = DEFAULT_USER;
    private Integer group;
    private ResourceRequirements resources = ResourceRequirements.NONE;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private List<String> pullSecretNames = List.of();
    private List<RegistryCredential> pullCredentials = List.of();
    private Duration gracePeriod = DEFAULT_GRACE_PERIOD;
    private final List<ContainerFile> files = new ArrayList<>();

    private Builder() {}

    public Builder name(String name) {
      Objects.requireNonNull(name, "name must not be null");
      if (!name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        throw new IllegalArgumentException(
            "name must be a DNS-1123 label (at most 63 lower-case letters, digits, dashes), but was \"" + name + "\"");
      }
      this.name = name;
      return this;
    }

    public Builder image(String image) {
      Objects.requireNonNull(image, "image must not be null");
      if (image.isBlank()) {
        throw new IllegalArgumentException("image must not be blank");
      }
      this.image = image;
      return this;
    }

    public Builder pullPolicy(PullPolicy pullPolicy) {
      this.pullPolicy = Objects.requireNonNull(pullPolicy, "pullPolicy must not be null");
      return this;
    }

    public Builder command(List<String> command) {
      Objects.requireNonNull(command, "command must not be null");
      if (command.isEmpty()) {
        throw new IllegalArgumentException("command must not be empty");
      }
      command.forEach(arg -> Objects.requireNonNull(arg, "command arguments must not be null"));
      this.command = List.copyOf(command);
      return this;
    }

    /** Sets an environment variable whose value is not a secret (replacing one set before, secret or not). */
    public Builder env(String name, String value) {
      Objects.requireNonNull(name, "env name must not be null");
      Objects.requireNonNull(value, "env value must not be null");
      secretEnvNames.remove(name);
      env.put(name, value);
      return this;
    }

    /** Sets each of the values with {@link #env(String, String)}. */
    public Builder env(Map<String, String> values) {
      values.forEach(this::env);
      return this;
    }

    /**
     * Sets an environment variable whose value is a secret: the runtime hands it to the process without
     * writing it into the container's configuration. The name must be a plain variable name
     * ({@code [A-Za-z_][A-Za-z0-9_]*}).
     */
    public Builder secretEnv(String name, String value) {
      Objects.requireNonNull(name, "env name must not be null");
      Objects.requireNonNull(value, "env value must not be null");
      if (!SECRET_ENV_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("secret env name must match " + SECRET_ENV_NAME.pattern() + ", but was \""
            + name + "\"");
      }
      env.put(name, value);
      secretEnvNames.add(name);
      return this;
    }

    /** The {@code CustomPromotionStep} this container runs; see {@link ContainerRequest#definition()}. */
    public Builder definition(String definition) {
      Objects.requireNonNull(definition, "definition must not be null");
      if (definition.isBlank()) {
        throw new IllegalArgumentException("definition must not be blank");
      }
      this.definition = definition;
      return this;
    }

    /** The container's network (default: {@link ContainerNetwork#DEFAULT}, the runtime's). */
    public Builder network(ContainerNetwork network) {
      this.network = Objects.requireNonNull(network, "network must not be null");
      return this;
    }

    public Builder workdir(Path workdir) {
      Objects.requireNonNull(workdir, "workdir must not be null");
      if (!workdir.isAbsolute()) {
        throw new IllegalArgumentException("workdir must be absolute, but was " + workdir);
      }
      this.workdir = workdir;
      return this;
    }

    public Builder user(int user) {
      if (user < 0) {
        throw new IllegalArgumentException("user must not be negative, but was " + user);
      }
      this.user = user;
      return this;
    }

    public Builder group(Integer group) {
      if (group != null && group < 0) {
        throw new IllegalArgumentException("group must not be negative, but was " + group);
      }
      this.group = group;
      return this;
    }

    public Builder resources(ResourceRequirements resources) {
      this.resources = Objects.requireNonNull(resources, "resources must not be null (use ResourceRequirements.NONE)");
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(Objects.requireNonNull(key, "label key"), Objects.requireNonNull(value, "label value"));
      return this;
    }

    public Builder labels(Map<String, String> values) {
      values.forEach(this::label);
      return this;
    }

    public Builder pullSecretNames(List<String> names) {
      this.pullSecretNames = List.copyOf(names);
      return this;
    }

    public Builder pullCredentials(List<RegistryCredential> credentials) {
      this.pullCredentials = List.copyOf(credentials);
      return this;
    }

    public Builder gracePeriod(Duration gracePeriod) {
      Objects.requireNonNull(gracePeriod, "gracePeriod must not be null");
      if (gracePeriod.isNegative()) {
        throw new IllegalArgumentException("gracePeriod must not be negative, but was " + gracePeriod);
      }
      this.gracePeriod = gracePeriod;
      return this;
    }

    public Builder file(ContainerFile file) {
      files.add(Objects.requireNonNull(file, "file must not be null"));
      return this;
    }

    public ContainerRequest build() {
      if (name == null) {
        throw new IllegalStateException("name must be set");
      }
      if (image == null) {
        throw new IllegalStateException("image must be set");
      }
      if (command.isEmpty()) {
        throw new IllegalStateException("command must be set");
      }
      if (workdir == null) {
        throw new IllegalStateException("workdir must be set");
      }
      return new ContainerRequest(this);
    }
  }
}
