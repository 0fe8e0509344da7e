/**
 * What hosts and runtimes plug in: {@link io.promokit.spi.ContainerRuntime} and its {@link
 * io.promokit.spi.ContainerRequest}, {@link io.promokit.spi.ContainerHandle} and {@link
 * io.promokit.spi.LogSink}; the host policy {@link io.promokit.spi.ContainerPolicy}; credentials, capabilities,
 * pull secrets and the callbacks of {@code set-metadata} and {@code set-freight-alias}. Everything is non-null
 * unless marked {@code @Nullable}.
 */
@NullMarked
package io.promokit.spi;

import org.jspecify.annotations.NullMarked;
