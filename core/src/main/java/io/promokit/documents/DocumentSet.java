package io.promokit.documents;

import io.promokit.CustomStepDefinition;
import io.promokit.StepRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a set of promotion documents holds: templates (bare or from Kargo {@code Stage}s), promotion tasks,
 * definitions made by other document parsers (such as custom steps), and the documents nothing parsed.
 * Read with {@link PromotionDocuments}. Immutable.
 */
public final class DocumentSet {

  private final List<String> sources;
  private final List<PromotionTemplate> templates;
  private final List<PromotionTask> tasks;
  private final List<Definition> definitions;
  private final List<UnparsedDocument> unparsed;

  /** What another document parser made, and the source it came from. */
  record Definition(String source, Object value) {
    Definition {
      Objects.requireNonNull(source, "source must not be null");
      Objects.requireNonNull(value, "value must not be null");
    }
  }

  /**
   * @param sources the files (or source names) read, in order
   * @param templates the templates, in order
   * @param tasks the tasks, in order
   * @param definitions what other document parsers made, in order
   * @param unparsed documents read but not parsed
   */
  DocumentSet(List<String> sources, List<PromotionTemplate> templates, List<PromotionTask> tasks,
      List<Definition> definitions, List<UnparsedDocument> unparsed) {
    this.sources = List.copyOf(sources);
    this.templates = List.copyOf(templates);
    this.tasks = List.copyOf(tasks);
    this.definitions = List.copyOf(definitions);
    this.unparsed = List.copyOf(unparsed);
  }

  /** An empty set. */
  public static DocumentSet empty() {
    return new DocumentSet(List.of(), List.of(), List.of(), List.of(), List.of());
  }

  /** The files (or source names) read, in order. */
  public List<String> sources() {
    return sources;
  }

  public List<PromotionTemplate> templates() {
    return templates;
  }

  public List<PromotionTask> tasks() {
    return tasks;
  }

  /**
   * The tasks as a catalog.
   *
   * @throws DocumentException when two tasks share a kind and name
   */
  public TaskCatalog taskCatalog() {
    return TaskCatalog.of(tasks);
  }

  /**
   * The only template.
   *
   * @throws DocumentException when there is none or more than one, saying what was found where
   */
  public PromotionTemplate singleTemplate() {
    if (templates.size() == 1) {
      return templates.get(0);
    }
    String where = sources.isEmpty() ? "<nothing read>" : String.join(", ", sources);
    SourceLocation location = new SourceLocation(where, 0, 0);
    if (templates.isEmpty()) {
      StringBuilder problem = new StringBuilder(
          "expected one promotion template (a bare {vars, steps} document or a Kargo Stage), but found none");
      if (!tasks.isEmpty() || !unparsed.isEmpty()) {
        List<String> found = new ArrayList<>();
        tasks.forEach(task -> found.add(task.kind().kindName() + " \"" + task.name() + "\""));
        unparsed.forEach(doc -> found.add(doc.kind() + (doc.name() == null ? "" : " \"" + doc.name() + "\"")
            + " (" + doc.note() + ")"));
        problem.append("; found ").append(String.join(", ", found));
      }
      throw new DocumentException(location, null, problem.toString());
    }
    throw new DocumentException(location, null, "expected one promotion template, but found " + templates.size()
        + " (at " + templates.stream().map(t -> t.location().toString()).collect(Collectors.joining(", "))
        + ")");
  }

  /** What other document parsers made, of the given type, in order. */
  public <T> List<T> definitions(Class<T> type) {
    List<T> found = new ArrayList<>();
    for (Definition definition : definitions) { // a loop: every command start asks, and streams cost it ~1 ms
      if (type.isInstance(definition.value())) {
        found.add(type.cast(definition.value()));
      }
    }
    return List.copyOf(found);
  }

  /** The {@code CustomPromotionStep} definitions, in order, ready for {@link StepRegistry.Builder#registerAll}. */
  public List<CustomStepDefinition> customSteps() {
    return definitions(CustomStepDefinition.class);
  }

  /** Documents read but not parsed, in order. */
  public List<UnparsedDocument> unparsed() {
    return unparsed;
  }

  /** Documents of the given kind read but not parsed, in order (for example {@code CustomPromotionStep}). */
  public List<UnparsedDocument> unparsed(String kind) {
    return unparsed.stream().filter(doc -> doc.kind().equals(kind)).toList();
  }

  /**
   * This set followed by another. What the other set read from a source this set has read too is not added
   * again, so a template file that also holds tasks can be given as a task file as well.
   */
  public DocumentSet merge(DocumentSet other) {
    Objects.requireNonNull(other, "other must not be null");
    if (other.sources.isEmpty() && other.templates.isEmpty() && other.tasks.isEmpty() && other.definitions.isEmpty()
        && other.unparsed.isEmpty()) {
      return this; // nothing read (no --tasks, no --steps): the common case of every command start
    }
    Set<String> known = new LinkedHashSet<>(sources);
    LinkedHashSet<String> allSources = new LinkedHashSet<>(sources);
    allSources.addAll(other.sources);
    return new DocumentSet(List.copyOf(allSources),
        concat(templates, newOnly(other.templates, t -> t.location().file(), known)),
        concat(tasks, newOnly(other.tasks, t -> t.location().file(), known)),
        concat(definitions, newOnly(other.definitions, Definition::source, known)),
        concat(unparsed, newOnly(other.unparsed, d -> d.location().file(), known)));
  }

  private static <T> List<T> newOnly(List<T> items, Function<T, String> source, Set<String> known) {
    return items.stream().filter(item -> !known.contains(source.apply(item))).toList();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Override
  public String toString() {
    return "DocumentSet[" + templates.size() + " templates, " + tasks.size() + " tasks, " + definitions.size()
        + " definitions, " + unparsed.size() + " unparsed, from " + sources + "]";
  }
}
