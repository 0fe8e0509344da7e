/**
 * Kargo's git steps over the {@code git} command-line tool: {@link io.promokit.steps.git.GitSteps} is the
 * module's one public class (a builder for credentials, identity, signing key, push integration policy;
 * {@code steps()} for the registry); everything else is package-private. Built on the step kit
 * ({@code io.promokit.steps.kit}). Parameters and return values are never null unless a method says so.
 */
package io.promokit.steps.git;
