/**
 * Kargo's git steps over the {@code git} command-line tool, and its pull-request steps over the hosts' REST
 * APIs: {@link io.promokit.steps.git.GitSteps} is the module's one public class (a builder for credentials,
 * identity, signing key, push integration policy, the hosts' API bases and UI link;
 * {@code steps()} for the registry); everything else is package-private. Built on the step kit
 * ({@code io.promokit.steps.kit}). Parameters and return values are never null unless a method says so.
 */
@NullMarked
package io.promokit.steps.git;

import org.jspecify.annotations.NullMarked;
