/**
 * {@link io.promokit.runtime.docker.DockerContainerRuntime}: container steps on a Docker daemon, one hardened
 * container per attempt; the rest of the module is package-private. Everything is non-null unless marked {@code
 * @Nullable}.
 */
@NullMarked
package io.promokit.runtime.docker;

import org.jspecify.annotations.NullMarked;
