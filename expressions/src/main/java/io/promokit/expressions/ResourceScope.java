package io.promokit.expressions;

/** Where {@code secret()}/{@code configMap()} (project) or {@code sharedSecret()}/{@code sharedConfigMap()} look. */
public enum ResourceScope {
  /** The promotion's own project: {@code secret(name)}, {@code configMap(name)}. */
  PROJECT,
  /** Resources shared by all projects: {@code sharedSecret(name)}, {@code sharedConfigMap(name)}. */
  SHARED
}
