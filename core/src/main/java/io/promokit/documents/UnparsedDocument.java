package io.promokit.documents;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A document that was read but not turned into a template or task: a {@code CustomPromotionStep} while no
 * parser for it is registered, a Kargo resource promokit has no use for (a {@code Warehouse}, a
 * control-flow {@code Stage}), and so on.
 *
 * @param apiVersion its apiVersion
 * @param kind its kind
 * @param name its {@code metadata.name}, or null
 * @param location where it starts
 * @param note why it was not parsed
 * @param content the document as plain Java values (maps, lists, strings, numbers, booleans)
 */
public record UnparsedDocument(
    String apiVersion, String kind, @Nullable String name, SourceLocation location, String note, Map<String, Object> content) {
  public UnparsedDocument {
    Objects.requireNonNull(apiVersion, "apiVersion must not be null");
    Objects.requireNonNull(kind, "kind must not be null");
    Objects.requireNonNull(location, "location must not be null");
    Objects.requireNonNull(note, "note must not be null");
    content = content == null ? Map.of() : content;
  }
}
