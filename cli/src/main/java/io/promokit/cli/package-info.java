/**
 * The {@code promokit} command (CLI.md), on the public API only. Everything is non-null unless marked {@code
 * @Nullable}.
 */
@NullMarked
package io.promokit.cli;

import org.jspecify.annotations.NullMarked;
