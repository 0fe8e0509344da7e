/**
 * Compiled examples a user copies from (README.md, docs/embedding.md); the build runs them. Everything is
 * non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.promokit.examples;

import org.jspecify.annotations.NullMarked;
