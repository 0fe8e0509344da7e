package io.promokit.spi;

import java.util.Set;

/**
 * Maps the capability names a {@code CustomPromotionStep} asks for ({@code capabilities: [kubeconfig]})
 * to what its container gets: environment variables and read-only files. The host implements it; a
 * definition asking for a capability the provider does not offer fails validation.
 */
public interface CapabilityProvider {

  /** A provider that offers nothing. */
  CapabilityProvider NONE = new CapabilityProvider() {
    @Override
    public Set<String> names() {
      return Set.of();
    }

    @Override
    public CapabilityGrant grant(String capability, String promotion, String stepAlias) {
      throw new IllegalArgumentException("unknown capability \"" + capability + "\"");
    }
  };

  /** The capability names this provider offers. */
  Set<String> names();

  /**
   * What a container gets for one capability, for one attempt of a step.
   *
   * @param capability one of {@link #names()}
   * @param promotion the promotion's name
   * @param stepAlias the step's alias
   */
  CapabilityGrant grant(String capability, String promotion, String stepAlias);
}
