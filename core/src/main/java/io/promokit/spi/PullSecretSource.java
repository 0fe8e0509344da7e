package io.promokit.spi;

import java.util.List;

/**
 * Resolves the {@code imagePullSecrets} names of a step definition to registry credentials, for runtimes
 * that pull images themselves (Docker). The CLI reads them from {@code --pull-secrets}; a host reads them
 * from its own secret store. Kubernetes passes the names to the Pod as they are.
 */
@FunctionalInterface
public interface PullSecretSource {

  /** A source that knows no secrets. */
  PullSecretSource NONE = name -> List.of();

  /** The credentials stored under that secret name, or an empty list when unknown. */
  List<RegistryCredential> credentials(String secretName);
}
