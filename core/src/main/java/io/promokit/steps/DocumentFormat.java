package io.promokit.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.promokit.internal.JsonValues;
import io.promokit.steps.kit.DocumentEditor;
import io.promokit.steps.kit.DocumentSyntaxException;
import io.promokit.steps.kit.JsonEditor;
import io.promokit.steps.kit.YamlEditor;

/** The document formats of the {@code *-parse} and {@code *-update} steps. */
enum DocumentFormat {
  YAML("yaml", "YAML", new YAMLMapper()),
  JSON("json", "JSON", new ObjectMapper());

  private final String prefix;
  private final String label;
  private final ObjectMapper reader;

  DocumentFormat(String prefix, String label, ObjectMapper reader) {
    this.prefix = prefix;
    this.label = label;
    this.reader = reader;
  }

  /** {@code yaml-update}, {@code json-parse}, ... */
  String stepName(String action) {
    return prefix + "-" + action;
  }

  String label() {
    return label;
  }

  DocumentEditor editor() {
    return this == YAML ? new YamlEditor() : new JsonEditor();
  }

  /**
   * Reads a document (for YAML the first one) as JSON-like values; YAML timestamps stay strings.
   *
   * @throws DocumentSyntaxException when it does not parse
   */
  Object read(String text) {
    try {
      return JsonValues.normalize(reader.readValue(text, Object.class));
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
      throw new DocumentSyntaxException("is not valid " + label + ": " + e.getOriginalMessage() + where, e);
    }
  }
}
