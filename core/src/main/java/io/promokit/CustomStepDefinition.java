package io.promokit;

import io.promokit.documents.SourceLocation;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.GoDuration;
import io.promokit.internal.container.ContainerStep;
import io.promokit.spi.CapabilityProvider;
import io.promokit.spi.ContainerNetwork;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.PullPolicy;
import io.promokit.spi.PullSecretSource;
import io.promokit.spi.Quantity;
import io.promokit.spi.ResourceRequirements;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A container step: a {@code CustomPromotionStep} (CUSTOM-STEPS.md), read from YAML by
 * {@code PromotionDocuments} or built in code. Templates use it by {@link #name()} like a
 * built-in step; each attempt runs {@link #command()} in {@link #image()} on the engine's
 * {@link ContainerRuntime}. Immutable.
 *
 * <pre>{@code
 * CustomStepDefinition sleep = CustomStepDefinition.builder("sleep")
 *     .image("ubuntu")
 *     .command(List.of("sh", "-c", "sleep ${{ shellQuote(config.sleepSeconds) }}"))
 *     .defaultTimeout(Duration.ofMinutes(5))
 *     .build();
 * StepRegistry registry = StepRegistry.builder().withBuiltins().register(sleep).build();
 * }</pre>
 */
public final class CustomStepDefinition {

  /** Where a step's output is read from. */
  public enum OutputSource {
    /** The {@code KARGO_OUTPUT} file (the default). */
    PIPE("Pipe"),
    /** The command's standard output. */
    STDOUT("Stdout"),
    /** The command's standard error. */
    STDERR("Stderr"),
    /** A file in the workdir, named by {@link Output#path()}. */
    FILE("File");

    private final String word;

    OutputSource(String word) {
      this.word = word;
    }

    /** {@code Pipe}, {@code Stdout}, {@code Stderr} or {@code File}, as YAML writes it. */
    public String word() {
      return word;
    }

    /** The source for a YAML word, or empty. */
    public static Optional<OutputSource> fromWord(String word) {
      for (OutputSource s : values()) {
        if (s.word.equals(word)) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }

  /** How a step's output is parsed. */
  public enum OutputFormat {
    /** {@code key=value} lines and {@code key<<DELIM} heredocs, as GitHub Actions' output file. */
    KEY_VALUE("KeyValue"),
    /** A JSON document. */
    JSON("JSON"),
    /** A YAML document. */
    YAML("YAML"),
    /** The whole text as {@code output}. */
    TEXT("Text");

    private final String word;

    OutputFormat(String word) {
      this.word = word;
    }

    /** {@code KeyValue}, {@code JSON}, {@code YAML} or {@code Text}, as YAML writes it. */
    public String word() {
      return word;
    }

    /** The format for a YAML word, or empty. */
    public static Optional<OutputFormat> fromWord(String word) {
      for (OutputFormat f : values()) {
        if (f.word.equals(word)) {
          return Optional.of(f);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * How a step's output is captured.
   *
   * @param source where it is read from
   * @param path for {@link OutputSource#FILE}, the file relative to the workdir; empty otherwise
   * @param format how it is parsed, or null to infer it ({@code .json}, {@code .yaml}/{@code .yml},
   *     {@code .txt} for files; else KeyValue)
   * @param transform when not empty, the output map becomes {@code {key: eval(expression)}}, each bare
   *     expression seeing {@code output}
   */
  public record Output(OutputSource source, String path, OutputFormat format, Map<String, String> transform) {

    /** The default: KeyValue lines of the {@code KARGO_OUTPUT} file, no transform. */
    public static final Output DEFAULT = new Output(OutputSource.PIPE, "", null, Map.of());

    public Output {
      Objects.requireNonNull(source, "output source must not be null");
      path = path == null ? "" : path;
      if (source == OutputSource.FILE && path.isBlank()) {
        throw new IllegalArgumentException("output.source.path must be set when the source type is File");
      }
      if (source != OutputSource.FILE && !path.isEmpty()) {
        throw new IllegalArgumentException("output.source.path is only allowed when the source type is File, but type is "
            + source.word());
      }
      if (source == OutputSource.FILE && (path.startsWith("/") || List.of(path.split("/")).contains(".."))) {
        throw new IllegalArgumentException("output.source.path must be relative to the workdir and stay inside it, but was \""
            + path + "\"");
      }
      transform = transform == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(transform));
      transform.forEach((k, v) -> {
        if (k == null || k.isEmpty()) {
          throw new IllegalArgumentException("output.transform keys must not be empty");
        }
        if (v == null || v.isBlank()) {
          throw new IllegalArgumentException("output.transform." + k + " must be an expression, but is empty");
        }
      });
    }

    /** The format to use: the given one, or the one inferred from the file's extension, or KeyValue. */
    public OutputFormat effectiveFormat() {
      if (format != null) {
        return format;
      }
      if (source == OutputSource.FILE) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
          return OutputFormat.JSON;
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
          return OutputFormat.YAML;
        }
        if (lower.endsWith(".txt")) {
          return OutputFormat.TEXT;
        }
      }
      return OutputFormat.KEY_VALUE;
    }
  }

  /**
   * One environment variable of the container; the value may hold {@code ${{ }}} over {@code config} and
   * {@code ctx}.
   */
  public record EnvVar(String name, String value) {
    public EnvVar {
      Objects.requireNonNull(name, "env name must not be null");
      value = value == null ? "" : value;
    }
  }

  /** Step names: as {@link StepRegistry} names and Kubernetes names. */
  public static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  /** Environment variable names. */
  public static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
  /** Variables the engine sets; a definition may not set them. */
  public static final Set<String> RESERVED_ENV = Set.of("KARGO_OUTPUT", "PROMOKIT_FILES", "PROMOKIT_STEP_ALIAS",
      "PROMOKIT_PROMOTION", "PROMOKIT_ATTEMPT", "PROMOKIT_STEP_KEY", "PROMOKIT_DEADLINE");
  /** The exit code that means "not done yet, call me again" (EX_TEMPFAIL). */
  public static final int EXIT_RUNNING = 75;

  private final String name;
  private final String description;
  private final String image;
  private final PullPolicy imagePullPolicy;
  private final List<String> imagePullSecrets;
  private final List<String> command;
  private final List<EnvVar> env;
  private final Output output;
  private final Duration defaultTimeout;
  private final Integer defaultErrorThreshold;
  private final List<String> capabilities;
  private final ResourceRequirements resources;
  private final Set<Integer> failedExitCodes;
  private final int runAsUser;
  private final ContainerNetwork network;
  private final Duration gracePeriod;
  private final ConfigSchema configSchema;
  private final SourceLocation location;
  private final Map<String, SourceLocation> fieldLocations;

  private CustomStepDefinition(Builder b) {
    this.name = b.name;
    this.description = b.description;
    this.image = b.image;
    this.imagePullPolicy = b.imagePullPolicy;
    this.imagePullSecrets = List.copyOf(b.imagePullSecrets);
    this.command = List.copyOf(b.command);
    this.env = List.copyOf(b.env.values());
    this.output = b.output;
    this.defaultTimeout = b.defaultTimeout;
    this.defaultErrorThreshold = b.defaultErrorThreshold;
    this.capabilities = List.copyOf(b.capabilities);
    this.resources = b.resources;
    this.failedExitCodes = Collections.unmodifiableSet(new TreeSet<>(b.failedExitCodes));
    this.runAsUser = b.runAsUser;
    this.network = b.network;
    this.gracePeriod = b.gracePeriod;
    this.configSchema = b.configSchema;
    this.location = b.location;
    this.fieldLocations = Map.copyOf(b.fieldLocations);
  }

  /** Starts a definition of the step called {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder holding this definition's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder(name).description(description).image(image).imagePullPolicy(imagePullPolicy)
        .imagePullSecrets(imagePullSecrets).command(command).output(output).capabilities(capabilities)
        .resources(resources).failedExitCodes(failedExitCodes).runAsUser(runAsUser).network(network).gracePeriod(gracePeriod)
        .configSchema(configSchema).location(location);
    env.forEach(e -> b.env(e.name(), e.value()));
    b.defaultTimeout = defaultTimeout;
    b.defaultErrorThreshold = defaultErrorThreshold;
    b.fieldLocations.putAll(fieldLocations);
    return b;
  }

  /** The name templates use ({@code uses: <name>}). */
  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public String image() {
    return image;
  }

  /** When to pull the image; {@link PullPolicy#IF_NOT_PRESENT} unless set. */
  public PullPolicy imagePullPolicy() {
    return imagePullPolicy;
  }

  /** Names of the registry credentials to pull with. */
  public List<String> imagePullSecrets() {
    return imagePullSecrets;
  }

  /** The argv; items may hold {@code ${{ }}} over {@code config} and {@code ctx}. */
  public List<String> command() {
    return command;
  }

  /** The container's own environment variables, in order. */
  public List<EnvVar> env() {
    return env;
  }

  public Output output() {
    return output;
  }

  /** The step's timeout when a template sets none. */
  public Optional<Duration> defaultTimeout() {
    return Optional.ofNullable(defaultTimeout);
  }

  /** The step's error threshold when a template sets none. */
  public Optional<Integer> defaultErrorThreshold() {
    return Optional.ofNullable(defaultErrorThreshold);
  }

  /** Capability names the host maps to env and files through its {@link CapabilityProvider}. */
  public List<String> capabilities() {
    return capabilities;
  }

  public ResourceRequirements resources() {
    return resources;
  }

  /** Exit codes that mean "the thing checked is not OK": the step is {@code Failed}, not retried. */
  public Set<Integer> failedExitCodes() {
    return failedExitCodes;
  }

  /** The uid the command runs as ({@value ContainerRequest#DEFAULT_USER} unless set). */
  public int runAsUser() {
    return runAsUser;
  }

  /**
   * The container's network: the runtime's ({@link ContainerNetwork#DEFAULT}, unless set) or none
   * ({@code network: none}, an addition of ours).
   */
  public ContainerNetwork network() {
    return network;
  }

  /** Time between SIGTERM and SIGKILL when the container is stopped. */
  public Duration gracePeriod() {
    return gracePeriod;
  }

  /** The JSON Schema the evaluated config must satisfy before the container starts. */
  public Optional<ConfigSchema> configSchema() {
    return Optional.ofNullable(configSchema);
  }

  /** Where the definition was written ({@link SourceLocation#IN_CODE} for definitions built in code). */
  public SourceLocation location() {
    return location;
  }

  /**
   * Where a field of the spec was written, for messages about it. Definitions read from YAML know the items
   * of {@code command} ({@code command[2]} is the third); any other field, and every field of a definition
   * built in code, falls back to {@link #location()}.
   */
  public SourceLocation locationOf(String field) {
    return fieldLocations.getOrDefault(field, location);
  }

  /** The registry options: default timeout and error threshold, config schema and description. */
  public StepOptions toStepOptions() {
    StepOptions.Builder options = StepOptions.builder().defaultTimeout(defaultTimeout).description(description)
        .configSchema(configSchema);
    if (defaultErrorThreshold != null) {
      options.defaultErrorThreshold(defaultErrorThreshold);
    }
    return options.build();
  }

  /**
   * The step that runs this definition on a container runtime: what an engine registers for it. The
   * engine calls this once per engine (the result is thread-safe and serves every promotion).
   *
   * @param runtime runs the containers
   * @param capabilities maps {@link #capabilities()} to env and files
   * @param pullSecrets resolves {@link #imagePullSecrets()} to credentials
   * @param engineId labels every container, so that {@link ContainerRuntime#reap(String)} finds leftovers
   */
  public StepRuntime bind(ContainerRuntime runtime, CapabilityProvider capabilities, PullSecretSource pullSecrets,
      String engineId) {
    return ContainerStep.create(this, runtime, capabilities, pullSecrets, engineId);
  }

  @Override
  public String toString() {
    return "CustomStepDefinition[" + name + ", image=" + image + "]";
  }

  /**
   * Builds {@link CustomStepDefinition}s. Each setter checks its value and says what was wrong;
   * {@link #build()} checks that image and command are set and that every {@code ${{ }}} parses.
   */
  public static final class Builder {
    private final String name;
    private String description = "";
    private String image;
    private PullPolicy imagePullPolicy = PullPolicy.IF_NOT_PRESENT;
    private List<String> imagePullSecrets = List.of();
    private List<String> command = List.of();
    private final Map<String, EnvVar> env = new LinkedHashMap<>();
    private Output output = Output.DEFAULT;
    private Duration defaultTimeout;
    private Integer defaultErrorThreshold;
    private List<String> capabilities = List.of();
    private ResourceRequirements resources = ResourceRequirements.NONE;
    private Set<Integer> failedExitCodes = Set.of();
    private int runAsUser = ContainerRequest.DEFAULT_USER;
    private ContainerNetwork network = ContainerNetwork.DEFAULT;
    private Duration gracePeriod = ContainerRequest.DEFAULT_GRACE_PERIOD;
    private ConfigSchema configSchema;
    private SourceLocation location = SourceLocation.IN_CODE;
    private final Map<String, SourceLocation> fieldLocations = new HashMap<>();

    private Builder(String name) {
      Objects.requireNonNull(name, "name must not be null");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("name must match " + NAME.pattern()
            + " (lower-case letters, digits and dashes, starting and ending with a letter or digit), but was \"" + name + "\"");
      }
      this.name = name;
    }

    public Builder description(String description) {
      this.description = Objects.requireNonNullElse(description, "");
      return this;
    }

    public Builder image(String image) {
      Objects.requireNonNull(image, "image must not be null");
      if (image.isBlank()) {
        throw new IllegalArgumentException("image must not be empty");
      }
      this.image = image;
      return this;
    }

    public Builder imagePullPolicy(PullPolicy policy) {
      this.imagePullPolicy = Objects.requireNonNull(policy, "imagePullPolicy must not be null");
      return this;
    }

    public Builder imagePullSecrets(List<String> names) {
      Objects.requireNonNull(names, "imagePullSecrets must not be null");
      for (String n : names) {
        if (n == null || n.isBlank()) {
          throw new IllegalArgumentException("imagePullSecrets must not hold empty names");
        }
      }
      this.imagePullSecrets = List.copyOf(new LinkedHashSet<>(names));
      return this;
    }

    /** The argv; the first item is the executable (images without a shell work: nothing is added). */
    public Builder command(List<String> command) {
      Objects.requireNonNull(command, "command must not be null");
      if (command.isEmpty()) {
        throw new IllegalArgumentException("command must not be empty");
      }
      for (int i = 0; i < command.size(); i++) {
        if (command.get(i) == null) {
          throw new IllegalArgumentException("command[" + i + "] must not be null");
        }
      }
      if (command.get(0).isBlank()) {
        throw new IllegalArgumentException("command[0] must name the executable, but is empty");
      }
      this.command = List.copyOf(command);
      return this;
    }

    /** Adds an environment variable (in order); a second one with the same name is an error. */
    public Builder env(String name, String value) {
      Objects.requireNonNull(name, "env name must not be null");
      if (!ENV_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("env name must match " + ENV_NAME.pattern() + ", but was \"" + name + "\"");
      }
      if (RESERVED_ENV.contains(name)) {
        throw new IllegalArgumentException("env \"" + name + "\" is set by promokit and cannot be set by a definition");
      }
      if (env.containsKey(name)) {
        throw new IllegalArgumentException("env \"" + name + "\" is given twice");
      }
      env.put(name, new EnvVar(name, Objects.requireNonNull(value, "env " + name + " value must not be null")));
      return this;
    }

    public Builder output(Output output) {
      this.output = Objects.requireNonNull(output, "output must not be null (use Output.DEFAULT)");
      return this;
    }

    /** The timeout when a template sets none; must be positive. */
    public Builder defaultTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "defaultTimeout must not be null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("defaultTimeout must be positive, but was " + GoDuration.format(timeout));
      }
      this.defaultTimeout = timeout;
      return this;
    }

    public Builder defaultErrorThreshold(int threshold) {
      if (threshold < 1) {
        throw new IllegalArgumentException("defaultErrorThreshold must be at least 1, but was " + threshold);
      }
      this.defaultErrorThreshold = threshold;
      return this;
    }

    public Builder capabilities(List<String> names) {
      Objects.requireNonNull(names, "capabilities must not be null");
      for (String n : names) {
        if (n == null || n.isBlank()) {
          throw new IllegalArgumentException("capabilities must not hold empty names");
        }
      }
      this.capabilities = List.copyOf(new LinkedHashSet<>(names));
      return this;
    }

    /** Requests and limits; {@code memory} and {@code cpu} must be Kubernetes quantities. */
    public Builder resources(ResourceRequirements resources) {
      Objects.requireNonNull(resources, "resources must not be null (use ResourceRequirements.NONE)");
      checkQuantities("resources.requests", resources.requests());
      checkQuantities("resources.limits", resources.limits());
      this.resources = resources;
      return this;
    }

    private static void checkQuantities(String where, Map<String, String> values) {
      values.forEach((key, value) -> {
        if (!key.equals("memory") && !key.equals("cpu")) {
          throw new IllegalArgumentException(where + "." + key + " is not a known resource (memory, cpu)");
        }
        if (!Quantity.isValid(value)) {
          throw new IllegalArgumentException(where + "." + key + ": invalid quantity \"" + value
              + "\": expected a Kubernetes quantity such as 128Mi, 1Gi, 500m or 0.5");
        }
      });
    }

    /** Exit codes that make the step {@code Failed}: 1 to 255, not 75 (which means "running"). */
    public Builder failedExitCodes(Set<Integer> codes) {
      Objects.requireNonNull(codes, "failedExitCodes must not be null");
      for (Integer code : codes) {
        if (code == null || code < 1 || code > 255) {
          throw new IllegalArgumentException("failedExitCodes must be between 1 and 255, but holds " + code);
        }
        if (code == EXIT_RUNNING) {
          throw new IllegalArgumentException("failedExitCodes must not hold 75: it means the step is still running");
        }
      }
      this.failedExitCodes = Set.copyOf(codes);
      return this;
    }

    public Builder runAsUser(int uid) {
      if (uid < 0) {
        throw new IllegalArgumentException("runAsUser must not be negative, but was " + uid);
      }
      this.runAsUser = uid;
      return this;
    }

    /** The container's network; {@link ContainerNetwork#NONE} cuts it off from every network. */
    public Builder network(ContainerNetwork network) {
      this.network = Objects.requireNonNull(network, "network must not be null");
      return this;
    }

    public Builder gracePeriod(Duration grace) {
      Objects.requireNonNull(grace, "gracePeriod must not be null");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("gracePeriod must not be negative, but was " + GoDuration.format(grace));
      }
      this.gracePeriod = grace;
      return this;
    }

    public Builder configSchema(ConfigSchema schema) {
      this.configSchema = schema;
      return this;
    }

    /** Where the definition was written, for messages. */
    public Builder location(SourceLocation location) {
      this.location = Objects.requireNonNull(location, "location must not be null");
      return this;
    }

    /** Where a field of the spec was written, for messages (see {@link CustomStepDefinition#locationOf}). */
    public Builder fieldLocation(String field, SourceLocation location) {
      Objects.requireNonNull(field, "field must not be null");
      fieldLocations.put(field, Objects.requireNonNull(location, "location must not be null"));
      return this;
    }

    /**
     * Builds the definition.
     *
     * @throws IllegalStateException when image or command is missing
     * @throws IllegalArgumentException when a {@code ${{ }}} in command or env does not parse, naming it
     */
    public CustomStepDefinition build() {
      if (image == null) {
        throw new IllegalStateException("image must be set");
      }
      if (command.isEmpty()) {
        throw new IllegalStateException("command must be set");
      }
      ExpressionResolver parser = ExpressionResolver.create();
      for (int i = 0; i < command.size(); i++) {
        checkTemplate(parser, "command[" + i + "]", command.get(i));
      }
      for (EnvVar e : env.values()) {
        checkTemplate(parser, "env." + e.name(), e.value());
      }
      return new CustomStepDefinition(this);
    }

    private static void checkTemplate(ExpressionResolver parser, String where, String template) {
      if (!template.contains("${")) {
        return;
      }
      try {
        parser.inspect(template);
      } catch (ExpressionException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
  }
}
