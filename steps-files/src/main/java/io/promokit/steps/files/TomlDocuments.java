package io.promokit.steps.files;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.util.Map;

/**
 * Reads TOML text into JSON-like Java values with jackson-dataformat-toml: tables become maps (in file order),
 * arrays and arrays of tables lists, integers {@code Integer}/{@code Long}/{@code BigInteger}, floats
 * {@code Double}, dates and times their text (RFC 3339, as written).
 */
final class TomlDocuments {

  /** The text is not valid TOML; the message says where and why. */
  static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final TypeReference<Map<String, Object>> TABLE = new TypeReference<>() {};

  /**
   * Made on the first read, not when the TOML steps are registered ({@code validate} and {@code steps} never
   * read TOML, and a first Jackson mapper costs a cold JVM tens of milliseconds). Configured once, so shared.
   */
  private static final class Mapper {
    static final TomlMapper TOML = new TomlMapper();
  }

  /**
   * The document's top-level table.
   *
   * @throws SyntaxException {@code is not valid TOML: <problem> (line L, column C)}
   */
  Map<String, Object> read(String text) throws SyntaxException {
    try {
      // The parser does not skip a byte order mark itself.
      String body = text.startsWith("\ufeff") ? text.substring(1) : text;
      Map<String, Object> table = Mapper.TOML.readValue(body, TABLE);
      return table == null ? Map.of() : table;
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      String at = where == null || where.getLineNr() < 1 ? ""
          : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
      throw new SyntaxException("is not valid TOML: " + e.getOriginalMessage() + at, e);
    }
  }
}
