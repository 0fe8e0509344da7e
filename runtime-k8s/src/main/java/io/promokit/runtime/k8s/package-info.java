/**
 * {@link io.promokit.runtime.k8s.KubernetesContainerRuntime} and its {@link
 * io.promokit.runtime.k8s.KubernetesRuntimeSettings}: container steps as Pods; the rest of the module is
 * package-private. Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.promokit.runtime.k8s;

import org.jspecify.annotations.NullMarked;
