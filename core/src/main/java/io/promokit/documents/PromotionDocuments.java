package io.promokit.documents;

import io.promokit.internal.documents.DocumentLoader;
import io.promokit.internal.documents.DocumentSources;
import io.promokit.internal.documents.LoadedDocuments;
import java.io.InputStream;
import java.util.ArrayList;
import java.net.URL;
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
   * Reads documents from a stream (read to its end as UTF-8; the caller closes it).
   *
   * @param sourceName names the stream in messages ({@code sourceName:line:column}); a name ending with
   *     {@code .json} reads it as JSON
   * @throws DocumentException holding every problem found, or saying the stream could not be read
   */
  public static DocumentSet load(InputStream in, String sourceName) {
    Objects.requireNonNull(in, "in must not be null");
    Objects.requireNonNull(sourceName, "sourceName must not be null");
    return parse(DocumentSources.readAll(in, sourceName), sourceName);
  }

  /**
   * Reads documents from a URL ({@code file:}, {@code jar:}, {@code http(s):} ...): messages name it (without any
   * user and password it holds). An HTTP answer other than 200 is an error naming the status; the connection
   * waits at most 10 s to connect and 30 s for each read.
   *
   * @throws DocumentException holding every problem found, or saying the URL could not be read
   */
  public static DocumentSet load(URL url) {
    Objects.requireNonNull(url, "url must not be null");
    String sourceName = DocumentSources.nameOf(url);
    return parse(DocumentSources.read(url, sourceName), sourceName);
  }

  /**
   * Reads documents from a class path resource, found as {@link Class#getResource(String)} finds it: relative to
   * {@code anchor}'s package, or absolute when it starts with {@code /}. Messages name it
   * {@code classpath:com/acme/promotions/stage.yaml}.
   *
   * @throws DocumentException when there is no such resource, holding every problem found otherwise
   */
  public static DocumentSet loadResource(Class<?> anchor, String name) {
    Objects.requireNonNull(anchor, "anchor must not be null");
    Objects.requireNonNull(name, "name must not be null");
    String sourceName = DocumentSources.resourceName(anchor, name);
    URL url = anchor.getResource(name);
    if (url == null) {
      throw new DocumentException(new SourceLocation(sourceName, 0, 0), null,
          "no such class path resource (looked up from " + anchor.getName() + ")");
    }
    return parse(DocumentSources.read(url, sourceName), sourceName);
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
    // Loops, not streams: every command start reads its documents through here.
    List<UnparsedDocument> unparsed = new ArrayList<>();
    for (LoadedDocuments.Unparsed doc : loaded.unparsed()) {
      unparsed.add(new UnparsedDocument(doc.apiVersion(), doc.kind(), doc.name(),
          doc.document().root().location(), doc.note(), doc.document().value().asPlainObject()));
    }
    List<DocumentSet.Definition> definitions = new ArrayList<>();
    for (LoadedDocuments.Definition d : loaded.definitions()) {
      definitions.add(new DocumentSet.Definition(d.source(), d.value()));
    }
    return new DocumentSet(loaded.sources(), loaded.templates(), loaded.tasks(), definitions, unparsed);
  }
}
