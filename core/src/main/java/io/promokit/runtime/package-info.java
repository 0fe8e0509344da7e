/**
 * {@link io.promokit.runtime.LocalProcessRuntime}: container steps as local processes, for development and
 * tests without Docker. Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.promokit.runtime;

import org.jspecify.annotations.NullMarked;
