package io.promokit.spi;

import java.util.Set;

/**
 * The hardened settings of one request's container under a {@link ContainerPolicy}, as
 * {@link ContainerPolicy#harden(ContainerRequest, String)} resolved them: the runtime applies every one.
 * Made only by the policy.
 */
public final class Hardening {

  private final ContainerRequest request;
  private final String runtime;
  private final ContainerPolicy.Allowance allowance;
  private final ResourceRequirements resources;
  private final int pidsLimit;
  private final String tmpSize;

  Hardening(ContainerRequest request, String runtime, ContainerPolicy.Allowance allowance,
      ResourceRequirements resources, int pidsLimit, String tmpSize) {
    this.request = request;
    this.runtime = runtime;
    this.allowance = allowance;
    this.resources = resources;
    this.pidsLimit = pidsLimit;
    this.tmpSize = tmpSize;
  }

  /** The request's resources with the policy's default limits where it sets none: memory and CPU are always limited. */
  public ResourceRequirements resources() {
    return resources;
  }

  /** The most processes the container may have. */
  public int pidsLimit() {
    return pidsLimit;
  }

  /** The size of the writable {@code /tmp} (a Kubernetes quantity). */
  public String tmpSize() {
    return tmpSize;
  }

  /** The size of {@code /tmp} in bytes. */
  public long tmpBytes() {
    return Quantity.parseBytes(tmpSize);
  }

  /** The Linux capabilities added back after all are dropped (usually none). */
  public Set<String> addedCapabilities() {
    return allowance.capabilities();
  }

  /** Whether the host lets this definition run as root. */
  public boolean rootAllowed() {
    return allowance.runAsRoot();
  }

  /**
   * Checks a primary group the runtime chose (the workdir's group, an fsGroup): gid 0 is refused unless the
   * host allows the definition to run as root.
   *
   * @throws ContainerRuntimeException (terminal) naming the group and how the host may allow it
   */
  public void requireNonRootGroup(long gid) {
    requireNonRoot(gid, "gid", "group 0");
  }

  void requireNonRoot(long id, String kind, String asked) {
    if (id != 0 || allowance.runAsRoot()) {
      return;
    }
    String definition = request.definition();
    String who = definition == null ? "container " + request.name() : "step \"" + definition + "\"";
    String how = definition == null
        ? "run it from a definition the host allows to run as root"
        : "the host may allow it with ContainerPolicy.builder().allow(\"" + definition
            + "\", Allowance.builder().runAsRoot(true).build()) in the " + runtime + " runtime's settings";
    throw ContainerRuntimeException.terminal("the " + runtime + " runtime refuses to run " + who + " as root (" + kind
        + " 0, " + asked + "): containers run as a non-root user with a non-zero group unless the host allows root; "
        + how);
  }
}
