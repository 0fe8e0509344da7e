package io.promokit.steps.git;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When a host asks to be called again: {@code Retry-After} (seconds or an HTTP date), else the reset time of an
 * exhausted rate limit ({@code X-RateLimit-Reset} at GitHub and Gitea, {@code RateLimit-Reset} at GitLab: epoch
 * seconds).
 */
final class RetryAfterHeader {

  private RetryAfterHeader() {}

  /** The delay {@code Retry-After} asks for, measured from {@code now}; empty when absent or unreadable. */
  static Optional<Duration> parse(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String text = value.strip();
    if (text.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    try {
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(nonNegative(Duration.between(now, at)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The delay until a rate limit resets ({@code epochSeconds}), measured from {@code now}. */
  static Optional<Duration> untilReset(String epochSeconds, Instant now) {
    if (epochSeconds == null || epochSeconds.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(nonNegative(Duration.between(now, Instant.ofEpochSecond(Long.parseLong(epochSeconds.strip())))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
