package io.promokit.internal.documents;

import io.promokit.documents.Problem;
import io.promokit.documents.PromotionTask;
import io.promokit.documents.PromotionTemplate;
import io.promokit.internal.yaml.DocumentProblems;
import io.promokit.internal.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a set of files held, with the located YAML of documents no parser took (so a parser plugged in later,
 * such as the {@code CustomPromotionStep} one, still gets file:line:column).
 *
 * @param sources the files (or source names) read, in order
 * @param templates promotion templates (bare or from a Kargo {@code Stage}), in order
 * @param tasks {@code PromotionTask}s and {@code ClusterPromotionTask}s, in order
 * @param definitions objects made by plugged-in parsers (for example custom step definitions), in order, each
 *     with the source it was read from
 * @param unparsed documents of known kinds that no parser turned into a model
 * @param problems every problem found, in the order of the files and, within a document, as written; what
 *     the other components hold was read despite them (a bad field is skipped, a bad document or file left
 *     out)
 */
public record LoadedDocuments(
    List<String> sources,
    List<PromotionTemplate> templates,
    List<PromotionTask> tasks,
    List<Definition> definitions,
    List<Unparsed> unparsed,
    List<Problem> problems) {

  public LoadedDocuments {
    problems = List.copyOf(problems);
    sources = List.copyOf(sources);
    templates = List.copyOf(templates);
    tasks = List.copyOf(tasks);
    definitions = List.copyOf(definitions);
    unparsed = List.copyOf(unparsed);
  }

  /**
   * What a plugged-in parser made of a document.
   *
   * @param source the file (or source name) the document was read from
   * @param value what the parser made
   */
  public record Definition(String source, Object value) {
    public Definition {
      Objects.requireNonNull(source, "source must not be null");
      Objects.requireNonNull(value, "value must not be null");
    }
  }

  /**
   * A document kept as read.
   *
   * @param document the located document
   * @param apiVersion its apiVersion
   * @param kind its kind
   * @param name its {@code metadata.name}, or null
   * @param note why promokit did not parse it, for messages
   */
  public record Unparsed(YamlDocument document, String apiVersion, String kind, String name, String note) {
    public Unparsed {
      Objects.requireNonNull(document, "document must not be null");
      Objects.requireNonNull(apiVersion, "apiVersion must not be null");
      Objects.requireNonNull(kind, "kind must not be null");
      Objects.requireNonNull(note, "note must not be null");
    }
  }

  /** Collects what parsers produce. Not thread-safe; one per load. */
  public static final class Builder {
    private final Set<String> sources = new LinkedHashSet<>();
    private final List<PromotionTemplate> templates = new ArrayList<>();
    private final List<PromotionTask> tasks = new ArrayList<>();
    private final List<Definition> definitions = new ArrayList<>();
    private String currentSource = "<unknown>";
    private final List<Unparsed> unparsed = new ArrayList<>();
    private final DocumentProblems problems = new DocumentProblems();

    /** Starts the documents of a source: what parsers add next came from it. */
    public Builder source(String source) {
      sources.add(Objects.requireNonNull(source, "source must not be null"));
      currentSource = source;
      return this;
    }

    public Builder template(PromotionTemplate template) {
      templates.add(Objects.requireNonNull(template, "template must not be null"));
      return this;
    }

    public Builder task(PromotionTask task) {
      tasks.add(Objects.requireNonNull(task, "task must not be null"));
      return this;
    }

    /** Adds what a plugged-in parser made of a document. */
    public Builder definition(Object definition) {
      definitions.add(new Definition(currentSource, Objects.requireNonNull(definition, "definition must not be null")));
      return this;
    }

    public Builder unparsed(Unparsed document) {
      unparsed.add(Objects.requireNonNull(document, "document must not be null"));
      return this;
    }

    /** Where parsers record a problem and go on reading. */
    public DocumentProblems problems() {
      return problems;
    }

    public LoadedDocuments build() {
      return new LoadedDocuments(List.copyOf(sources), templates, tasks, definitions, unparsed, problems.list());
    }
  }
}
