/**
 * Kargo's Argo CD steps, {@code argocd-update} and {@code argocd-wait}; {@link io.promokit.steps.argocd.ArgoCdSteps}
 * is the module's one public class. Everything here is non-null unless a parameter or return value says otherwise.
 */
@NullMarked
package io.promokit.steps.argocd;

import org.jspecify.annotations.NullMarked;
