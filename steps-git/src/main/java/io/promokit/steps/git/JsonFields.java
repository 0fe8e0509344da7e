package io.promokit.steps.git;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reads fields of a host's JSON answers leniently: a missing or null field is empty text, no time, false. */
final class JsonFields {

  private JsonFields() {}

  /** The text at a path of field names, empty when missing or null. */
  static String text(JsonNode node, String... path) {
    JsonNode at = at(node, path);
    return at.isValueNode() && !at.isNull() ? at.asText() : "";
  }

  /** The boolean at a path, false when missing. */
  static boolean bool(JsonNode node, String... path) {
    return at(node, path).asBoolean(false);
  }

  /** The integer at a path, 0 when missing. */
  static long number(JsonNode node, String... path) {
    return at(node, path).asLong(0);
  }

  /** Whether the field at a path is present and not null. */
  static boolean present(JsonNode node, String... path) {
    JsonNode at = at(node, path);
    return !at.isMissingNode() && !at.isNull();
  }

  /** An RFC 3339 time at a path, or null when missing or unreadable. */
  static Instant instant(JsonNode node, String... path) {
    String text = text(node, path);
    if (text.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static JsonNode at(JsonNode node, String... path) {
    JsonNode at = node;
    for (String name : path) {
      at = at.path(name);
    }
    return at;
  }
}
