/**
 * Kargo's file and artifact steps ({@code tar}, {@code untar}, {@code http-download}, {@code toml-parse},
 * {@code toml-update}, {@code yaml-merge}) as a promokit step module. {@link io.promokit.steps.files.FileSteps}
 * is the one public type; everything else is package-private. Nothing here is null unless a method says so.
 */
@NullMarked
package io.promokit.steps.files;

import org.jspecify.annotations.NullMarked;
