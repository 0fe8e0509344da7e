package io.promokit.expressions;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One expression found in a template, parsed but not evaluated.
 *
 * @param text the expression as written, without delimiters
 * @param column 1-based column of its opening delimiter in the template (1 for a bare expression)
 * @param references the variable paths it reads, as far as they are static: {@code outputs.build.tag} and
 *     {@code outputs['build'].tag} both give {@code [outputs, build, tag]}
 * @param functions the names of the functions it calls
 */
public record ParsedExpression(String text, int column, Set<List<String>> references, Set<String> functions) {
  public ParsedExpression {
    Objects.requireNonNull(text, "text must not be null");
    references = Set.copyOf(references);
    functions = Set.copyOf(functions);
  }

  /** Whether the expression reads a variable path starting with the given names. */
  public boolean references(String... prefix) {
    List<String> wanted = List.of(prefix);
    return references.stream()
        .anyMatch(path -> path.size() >= wanted.size() && path.subList(0, wanted.size()).equals(wanted));
  }
}
