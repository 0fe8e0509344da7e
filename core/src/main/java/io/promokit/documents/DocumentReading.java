package io.promokit.documents;

import io.promokit.validation.PromotionValidator;
import java.util.List;
import java.util.Objects;

/**
 * What {@link PromotionDocuments#read} made of a set of documents, and every problem it found on the way.
 * The documents are those that could be read despite the problems: a field with a problem is skipped (it
 * keeps its default), a document that cannot be made sense of is left out, and malformed YAML leaves out the
 * rest of its file. Use them to report more (for example with {@link PromotionValidator}), never to run.
 *
 * @param documents what could be read
 * @param problems every problem, in file order and, within a document, in the order written
 */
public record DocumentReading(DocumentSet documents, List<Problem> problems) {

  public DocumentReading {
    Objects.requireNonNull(documents, "documents must not be null");
    problems = List.copyOf(problems);
  }

  /** Whether every document was read without a problem. */
  public boolean isValid() {
    return problems.isEmpty();
  }

  /**
   * The documents, when there was no problem.
   *
   * @throws DocumentException holding every problem
   */
  public DocumentSet orThrow() {
    if (!problems.isEmpty()) {
      throw new DocumentException(problems);
    }
    return documents;
  }
}
