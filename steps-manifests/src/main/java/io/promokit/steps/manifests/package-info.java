/**
 * The manifest steps (kustomize-set-image, kustomize-build, helm-template, helm-update-chart): {@link
 * io.promokit.steps.manifests.ManifestSteps} is the entry class; {@link
 * io.promokit.steps.manifests.FreightImageSource} is the host's view of the Freight for kustomize-set-image's
 * auto mode. Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.promokit.steps.manifests;

import org.jspecify.annotations.NullMarked;
