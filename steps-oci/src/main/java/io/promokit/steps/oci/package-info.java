/**
 * Kargo's OCI steps ({@code oci-download}, {@code oci-push}) as a promokit step module, on the OCI Distribution
 * API over {@code java.net.http}. {@link io.promokit.steps.oci.OciSteps} is the one public type; everything else
 * is package-private. Nothing here is null unless a method says so.
 */
@NullMarked
package io.promokit.steps.oci;

import org.jspecify.annotations.NullMarked;
