package io.promokit.steps;

import io.promokit.internal.JsonValues;
import io.promokit.steps.kit.DocumentEditor;
import io.promokit.steps.kit.DocumentSyntaxException;
import io.promokit.steps.kit.JsonEditor;
import io.promokit.steps.kit.YamlEditor;

/** The document formats of the {@code *-parse} and {@code *-update} steps. */
enum DocumentFormat {
  YAML("yaml", "YAML"),
  JSON("json", "JSON");

  private final String prefix;
  private final String label;

  DocumentFormat(String prefix, String label) {
    this.prefix = prefix;
    this.label = label;
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
   * Reads a document (for YAML the first one) as JSON-like values, as the editors read it back; YAML
   * timestamps stay strings.
   *
   * @throws DocumentSyntaxException when it does not parse
   */
  Object read(String text) {
    return JsonValues.normalize(this == YAML ? YamlEditor.read(text) : JsonEditor.read(text));
  }
}
