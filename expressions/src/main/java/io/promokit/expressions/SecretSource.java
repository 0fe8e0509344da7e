package io.promokit.expressions;

import java.util.Map;

/**
 * The host's secrets, answering {@code secret(name)} and {@code sharedSecret(name)}. Every value returned
 * is registered with the environment's {@link SecretMasker} so it never shows in records or logs.
 */
@FunctionalInterface
public interface SecretSource {

  /** A source with no secrets: every lookup returns an empty map. */
  SecretSource NONE = (name, scope) -> Map.of();

  /** Returns the secret's key/value pairs, or an empty map when there is no such secret. */
  Map<String, String> find(String name, ResourceScope scope);
}
