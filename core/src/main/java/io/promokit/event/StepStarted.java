package io.promokit.event;

import java.time.Instant;

/**
 * An attempt of a step started.
 *
 * @param promotion the promotion's name
 * @param alias the step's alias
 * @param uses the step's name
 * @param attempt 1, 2, ...
 * @param at when
 */
public record StepStarted(String promotion, String alias, String uses, int attempt, Instant at) {}
