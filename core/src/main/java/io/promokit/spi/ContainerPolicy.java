package io.promokit.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How hardened a runtime's step containers are, and what the registering host relaxes for particular
 * definitions. Every container gets, unless an {@link Allowance} for its definition says otherwise: no
 * Linux capability at all, no privilege gain through setuid binaries ({@code no-new-privileges},
 * {@code allowPrivilegeEscalation: false}), a non-root user and a non-zero primary group (uid or gid 0 is
 * refused), a read-only root filesystem with a writable, size-bounded {@code /tmp}, a limit on its number
 * of processes, and memory and CPU limits (the definition's {@code resources.limits}, else this policy's
 * defaults). Docker and Kubernetes runtimes take one in their settings; immutable.
 *
 * <pre>{@code
 * ContainerPolicy policy = ContainerPolicy.builder()
 *     .memoryLimit("2Gi")                                     // for definitions that set none
 *     .allow("terraform-apply", ContainerPolicy.Allowance.builder()
 *         .capabilities("NET_BIND_SERVICE").pidsLimit(4096).tmpSize("1Gi").build())
 *     .build();
 * }</pre>
 *
 * The allowances are the host's, keyed by the definition's name: a definition cannot grant itself anything
 * (its {@code capabilities} field names credentials, not Linux capabilities).
 */
public final class ContainerPolicy {

  /** The memory limit of a container whose definition sets none. */
  public static final String DEFAULT_MEMORY_LIMIT = "1Gi";
  /** The CPU limit of a container whose definition sets none: one core. */
  public static final String DEFAULT_CPU_LIMIT = "1";
  /** The most processes (and threads) a container may have at once. */
  public static final int DEFAULT_PIDS_LIMIT = 512;
  /** The size of the writable {@code /tmp} (a tmpfs; it counts toward the memory limit). */
  public static final String DEFAULT_TMP_SIZE = "128Mi";
  /** Where the writable temporary folder is, in every container. */
  public static final String TMP = "/tmp";

  /** Linux capability names (without {@code CAP_}), as {@code capabilities(7)} lists them. */
  static final Set<String> LINUX_CAPABILITIES = Set.of("AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE",
      "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE", "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID",
      "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE", "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD",
      "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW", "PERFMON", "SETFCAP", "SETGID", "SETPCAP",
      "SETUID", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE",
      "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "SYSLOG", "WAKE_ALARM");

  private static final ContainerPolicy DEFAULTS = builder().build();

  private final String memoryLimit;
  private final String cpuLimit;
  private final int pidsLimit;
  private final String tmpSize;
  private final Map<String, Allowance> allowances;

  private ContainerPolicy(Builder b) {
    this.memoryLimit = b.memoryLimit;
    this.cpuLimit = b.cpuLimit;
    this.pidsLimit = b.pidsLimit;
    this.tmpSize = b.tmpSize;
    this.allowances = Collections.unmodifiableMap(new LinkedHashMap<>(b.allowances));
  }

  /** The policy with every default and no allowance. */
  public static ContainerPolicy defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The memory limit for definitions that set none (a Kubernetes quantity). */
  public String memoryLimit() {
    return memoryLimit;
  }

  /** The CPU limit for definitions that set none (a Kubernetes quantity). */
  public String cpuLimit() {
    return cpuLimit;
  }

  /** The process limit of every container, unless an allowance sets another. */
  public int pidsLimit() {
    return pidsLimit;
  }

  /** The size of {@code /tmp}, unless an allowance sets another (a Kubernetes quantity). */
  public String tmpSize() {
    return tmpSize;
  }

  /** The host's allowances, by definition name. */
  public Map<String, Allowance> allowances() {
    return allowances;
  }

  /** What the host allows the definition, {@link Allowance#NONE} when nothing (or for requests without one). */
  public Allowance allowanceFor(String definition) {
    return definition == null ? Allowance.NONE : allowances.getOrDefault(definition, Allowance.NONE);
  }

  /**
   * The settings a request's container gets under this policy.
   *
   * @param runtime the runtime's name for messages ({@code docker}, {@code kubernetes})
   * @throws ContainerRuntimeException (terminal) when the request asks for root, or for gid 0, and the host
   *     does not allow its definition to run as root
   */
  public Hardening harden(ContainerRequest request, String runtime) {
    Allowance allowance = allowanceFor(request.definition());
    Hardening hardening = new Hardening(request, runtime, allowance,
        withDefaultLimits(request.resources()),
        allowance.pidsLimit().orElse(pidsLimit),
        allowance.tmpSize().orElse(tmpSize));
    hardening.requireNonRoot(request.user(), "uid", "runAsUser: 0");
    if (request.group() != null) {
      hardening.requireNonRootGroup(request.group());
    }
    return hardening;
  }

  /** The definition's limits, with this policy's where it sets none (at least the request, if higher). */
  ResourceRequirements withDefaultLimits(ResourceRequirements resources) {
    Map<String, String> limits = new LinkedHashMap<>(resources.limits());
    limits.computeIfAbsent("memory", key -> atLeast(memoryLimit, resources.requests().get(key), false));
    limits.computeIfAbsent("cpu", key -> atLeast(cpuLimit, resources.requests().get(key), true));
    return new ResourceRequirements(resources.requests(), limits);
  }

  private static String atLeast(String limit, String request, boolean cpu) {
    if (request == null) {
      return limit;
    }
    // A request above the default limit would make the pair invalid (Kubernetes refuses request > limit).
    return Quantity.parse(request).compareTo(Quantity.parse(limit)) > 0 ? request : limit;
  }

  private static String checkedQuantity(String what, String value, boolean memory) {
    Objects.requireNonNull(value, what + " must not be null");
    if (!Quantity.isValid(value)) {
      throw new IllegalArgumentException(what + ": invalid quantity \"" + value
          + "\": expected a Kubernetes quantity such as " + (memory ? "512Mi or 2Gi" : "500m or 2"));
    }
    if (Quantity.parse(value).signum() <= 0) {
      throw new IllegalArgumentException(what + " must be positive, but was \"" + value + "\"");
    }
    if (memory && Quantity.parseBytes(value) < MIN_MEMORY_BYTES) {
      throw new IllegalArgumentException(what + " must be at least 6Mi (Docker's smallest memory limit), but was \""
          + value + "\"");
    }
    return value;
  }

  /** Docker refuses memory limits under 6 MiB. */
  private static final long MIN_MEMORY_BYTES = 6L << 20;

  private static int checkedPids(String what, int pids) {
    if (pids < 8) {
      throw new IllegalArgumentException(what + " must be at least 8 (the init, the command and a few children), but was "
          + pids);
    }
    return pids;
  }

  @Override
  public String toString() {
    return "ContainerPolicy[memory=" + memoryLimit + ", cpu=" + cpuLimit + ", pids=" + pidsLimit + ", tmp=" + tmpSize
        + ", allowances=" + allowances.keySet() + "]";
  }

  /**
   * What a host allows one definition beyond the hardened defaults: to run as root (uid or gid 0), Linux
   * capabilities to add back, another process limit or {@code /tmp} size. Immutable.
   *
   * @param runAsRoot whether uid 0 and gid 0 are accepted
   * @param capabilities Linux capabilities added after all are dropped (names without {@code CAP_})
   * @param pidsLimit another process limit, if any
   * @param tmpSize another {@code /tmp} size, if any
   */
  public record Allowance(boolean runAsRoot, Set<String> capabilities, Optional<Integer> pidsLimit,
      Optional<String> tmpSize) {

    /** Nothing beyond the defaults. */
    public static final Allowance NONE = new Allowance(false, Set.of(), Optional.empty(), Optional.empty());

    public Allowance {
      capabilities = Collections.unmodifiableSet(new TreeSet<>(capabilities));
      Objects.requireNonNull(pidsLimit, "pidsLimit must not be null (use Optional.empty())");
      Objects.requireNonNull(tmpSize, "tmpSize must not be null (use Optional.empty())");
    }

    /** A builder of an allowance. */
    public static AllowanceBuilder builder() {
      return new AllowanceBuilder();
    }
  }

  /** Builds {@link Allowance}s; each setter checks its value. */
  public static final class AllowanceBuilder {
    private boolean runAsRoot;
    private final Set<String> capabilities = new LinkedHashSet<>();
    private Integer pidsLimit;
    private String tmpSize;

    private AllowanceBuilder() {}

    /** Accepts uid 0 ({@code runAsUser: 0}) and gid 0 for the definition. */
    public AllowanceBuilder runAsRoot(boolean allowed) {
      this.runAsRoot = allowed;
      return this;
    }

    /**
     * Linux capabilities to add back, such as {@code NET_BIND_SERVICE} (a {@code CAP_} prefix is accepted).
     * On Kubernetes, any but {@code NET_BIND_SERVICE} makes the Pod fail the restricted Pod Security Standard.
     */
    public AllowanceBuilder capabilities(String... names) {
      return capabilities(List.of(names));
    }

    /** As {@link #capabilities(String...)}. */
    public AllowanceBuilder capabilities(List<String> names) {
      for (String name : names) {
        Objects.requireNonNull(name, "capability names must not be null");
        String bare = name.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
        if (!LINUX_CAPABILITIES.contains(bare)) {
          throw new IllegalArgumentException("unknown Linux capability \"" + name
              + "\"; expected one of capabilities(7), such as NET_BIND_SERVICE or SYS_PTRACE");
        }
        capabilities.add(bare);
      }
      return this;
    }

    /** Another process limit for the definition. */
    public AllowanceBuilder pidsLimit(int pids) {
      this.pidsLimit = checkedPids("pidsLimit", pids);
      return this;
    }

    /** Another {@code /tmp} size for the definition (a Kubernetes quantity). */
    public AllowanceBuilder tmpSize(String size) {
      this.tmpSize = checkedQuantity("tmpSize", size, true);
      return this;
    }

    public Allowance build() {
      return new Allowance(runAsRoot, capabilities, Optional.ofNullable(pidsLimit), Optional.ofNullable(tmpSize));
    }
  }

  /** Builds {@link ContainerPolicy}s; each setter checks its value and says what was wrong. */
  public static final class Builder {
    private String memoryLimit = DEFAULT_MEMORY_LIMIT;
    private String cpuLimit = DEFAULT_CPU_LIMIT;
    private int pidsLimit = DEFAULT_PIDS_LIMIT;
    private String tmpSize = DEFAULT_TMP_SIZE;
    private final Map<String, Allowance> allowances = new LinkedHashMap<>();

    private Builder() {}

    /** The memory limit of containers whose definition sets none (default {@value #DEFAULT_MEMORY_LIMIT}). */
    public Builder memoryLimit(String quantity) {
      this.memoryLimit = checkedQuantity("memoryLimit", quantity, true);
      return this;
    }

    /** The CPU limit of containers whose definition sets none (default {@value #DEFAULT_CPU_LIMIT}). */
    public Builder cpuLimit(String quantity) {
      this.cpuLimit = checkedQuantity("cpuLimit", quantity, false);
      return this;
    }

    /** The process limit of every container (default {@value #DEFAULT_PIDS_LIMIT}). */
    public Builder pidsLimit(int pids) {
      this.pidsLimit = checkedPids("pidsLimit", pids);
      return this;
    }

    /** The size of every container's {@code /tmp} (default {@value #DEFAULT_TMP_SIZE}). */
    public Builder tmpSize(String quantity) {
      this.tmpSize = checkedQuantity("tmpSize", quantity, true);
      return this;
    }

    /** What the host allows the definition of that name (replacing an earlier allowance for it). */
    public Builder allow(String definition, Allowance allowance) {
      Objects.requireNonNull(definition, "definition must not be null");
      if (definition.isBlank()) {
        throw new IllegalArgumentException("definition must not be blank");
      }
      allowances.put(definition, Objects.requireNonNull(allowance, "allowance must not be null"));
      return this;
    }

    public ContainerPolicy build() {
      return new ContainerPolicy(this);
    }
  }
}
