package io.promokit;

import io.promokit.internal.documents.DocumentLoader;
import io.promokit.internal.documents.LoadedDocuments;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Reads promotion documents from YAML or JSON (SEMANTICS.md section 1): bare templates {@code {vars, steps}},
 * Kargo {@code Stage}s (their {@code spec.vars} first, then their promotion template's vars),
 * {@code PromotionTask}s and {@code ClusterPromotionTask}s, and {@code CustomPromotionStep}s; a file may hold
 * several documents separated by {@code ---}. Reading is strict: an unknown or misspelled field, a missing
 * required field, a wrong type, a bad duration or malformed YAML is a problem that starts with
 * {@code file:line:column} and names the field ({@code steps[2].retry.timeout}). Every problem of every file is
 * found in one read: {@code load} and {@code parse} throw a {@link DocumentException} holding them all, and
 * {@link #read} returns them with what could be read despite them.
 *
 * <pre>{@code
 * DocumentSet documents = PromotionDocuments.load(Path.of("stage.yaml"))
 *     .merge(PromotionDocuments.load(Path.of("tasks/")));
 * PromotionTemplate template = documents.singleTemplate();
 * ValidationReport report = PromotionValidator.validate(template, registry, documents.taskCatalog());
 * }</pre>
 */
public final class PromotionDocuments {

  /**
   * The largest promotion document file (or text) read by default: 2 MiB. Larger ones are refused before parsing
   * with a problem naming the file; templates, tasks and step definitions are far smaller.
   */
  public static final long DEFAULT_MAX_DOCUMENT_SIZE = 2L * 1024 * 1024;

  private PromotionDocuments() {}

  /**
   * Reads a file, or every {@code *.yaml}, {@code *.yml} and {@code *.json} file of a folder (sorted by
   * name, not descending into sub-folders).
   *
   * @throws DocumentException holding every problem found
   */
  public static DocumentSet load(Path fileOrFolder) {
    Objects.requireNonNull(fileOrFolder, "fileOrFolder must not be null");
    return loadAll(List.of(fileOrFolder));
  }

  /**
   * Reads files and folders, in order; a file named twice is read once.
   *
   * @throws DocumentException holding every problem found
   */
  public static DocumentSet loadAll(Collection<Path> filesOrFolders) {
    return read(filesOrFolders).orThrow();
  }

  /**
   * Reads files and folders as {@link #loadAll} does, but returns every problem (a missing path, malformed
   * YAML, a bad field) together with what could be read despite them, instead of throwing.
   */
  public static DocumentReading read(Collection<Path> filesOrFolders) {
    return read(filesOrFolders, DEFAULT_MAX_DOCUMENT_SIZE);
  }

  /**
   * As {@link #read(Collection)}, refusing each file larger than {@code maxDocumentSize} bytes before parsing it
   * (a problem names the file; the other files are still read).
   *
   * @throws IllegalArgumentException when the limit is not positive
   */
  public static DocumentReading read(Collection<Path> filesOrFolders, long maxDocumentSize) {
    Objects.requireNonNull(filesOrFolders, "filesOrFolders must not be null");
    return toReading(DocumentLoader.standard(maxDocumentSize).load(filesOrFolders));
  }

  /**
   * Reads documents from a text.
   *
   * @param sourceName names the text in messages; a name ending with {@code .json} reads it as JSON
   * @throws DocumentException holding every problem found
   */
  public static DocumentSet parse(String content, String sourceName) {
    return read(content, sourceName).orThrow();
  }

  /** Reads documents from a text as {@link #parse} does, but returns every problem instead of throwing. */
  public static DocumentReading read(String content, String sourceName) {
    Objects.requireNonNull(content, "content must not be null");
    Objects.requireNonNull(sourceName, "sourceName must not be null");
    return toReading(DocumentLoader.standard(DEFAULT_MAX_DOCUMENT_SIZE).parse(content, sourceName));
  }

  /**
   * Reads a file that must hold exactly one template (it may hold tasks too: see {@link #load(Path)} to use
   * them).
   *
   * @throws DocumentException when the file is invalid or holds no template or several
   */
  public static PromotionTemplate loadTemplate(Path file) {
    return load(file).singleTemplate();
  }

  private static DocumentReading toReading(LoadedDocuments loaded) {
    return new DocumentReading(toDocumentSet(loaded), loaded.problems());
  }

  private static DocumentSet toDocumentSet(LoadedDocuments loaded) {
    List<UnparsedDocument> unparsed = loaded.unparsed().stream()
        .map(doc -> new UnparsedDocument(doc.apiVersion(), doc.kind(), doc.name(),
            doc.document().root().location(), doc.note(), doc.document().value().asPlainObject()))
        .toList();
    List<DocumentSet.Definition> definitions = loaded.definitions().stream()
        .map(d -> new DocumentSet.Definition(d.source(), d.value()))
        .toList();
    return new DocumentSet(loaded.sources(), loaded.templates(), loaded.tasks(), definitions, unparsed);
  }
}
