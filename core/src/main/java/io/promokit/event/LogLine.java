package io.promokit.event;

import java.time.Instant;

/**
 * One line a step wrote.
 *
 * @param promotion the promotion's name
 * @param alias the step's alias
 * @param stream stdout, stderr, or an informational line
 * @param text the line, without its terminator, secrets masked
 * @param at when it arrived
 */
public record LogLine(String promotion, String alias, LogStream stream, String text, Instant at) {}
