package io.promokit.internal.documents;

import io.promokit.internal.yaml.YamlDocument;
import io.promokit.internal.yaml.YamlObject;

/**
 * Turns one document of a given apiVersion and kind into models. Registered in {@link DocumentKinds}.
 * Records each problem in {@link LoadedDocuments.Builder#problems()} and goes on with the rest of the
 * document; a {@link io.promokit.documents.DocumentException} it throws is recorded too, and ends that document only.
 */
@FunctionalInterface
public interface KindParser {

  /**
   * @param document the located document (for its source and index)
   * @param root its root mapping; {@code apiVersion} and {@code kind} are already checked, the parser
   *     checks every other field
   * @param out where to put what it made
   */
  void parse(YamlDocument document, YamlObject root, LoadedDocuments.Builder out);
}
