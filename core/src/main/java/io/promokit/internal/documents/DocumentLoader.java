package io.promokit.internal.documents;

import io.promokit.documents.DocumentException;
import io.promokit.documents.SourceLocation;
import io.promokit.internal.yaml.DocumentProblems;
import io.promokit.internal.yaml.YamlDocument;
import io.promokit.internal.yaml.YamlTreeReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads files and folders of promotion documents with a set of {@link DocumentKinds}. A folder contributes
 * its {@code *.yaml}, {@code *.yml} and {@code *.json} files (not hidden ones, not sub-folders), sorted by
 * name, so a folder of manifests loads the same way everywhere. A file named twice is read once.
 */
public final class DocumentLoader {

  private final DocumentKinds kinds;
  private final long maxDocumentSize;

  public DocumentLoader(DocumentKinds kinds) {
    this(kinds, Long.MAX_VALUE);
  }

  /** A loader refusing files (and texts) larger than {@code maxDocumentSize} bytes (characters), before parsing. */
  public DocumentLoader(DocumentKinds kinds, long maxDocumentSize) {
    this.kinds = Objects.requireNonNull(kinds, "kinds must not be null");
    if (maxDocumentSize <= 0) {
      throw new IllegalArgumentException("maxDocumentSize must be positive, but was " + maxDocumentSize);
    }
    this.maxDocumentSize = maxDocumentSize;
  }

  /** A loader of the standard kinds, with the given size limit. */
  public static DocumentLoader standard(long maxDocumentSize) {
    return new DocumentLoader(DocumentKinds.standard(), maxDocumentSize);
  }

  /**
   * Reads files and folders, in order, collecting every problem in {@link LoadedDocuments#problems()}: a bad
   * field is skipped, a document that cannot be made sense of is left out, malformed YAML ends its file
   * only, and the other files are still read.
   */
  public LoadedDocuments load(Collection<Path> paths) {
    LoadedDocuments.Builder out = new LoadedDocuments.Builder();
    DocumentProblems problems = out.problems();
    for (Path file : files(paths, problems)) {
      out.source(file.toString());
      if (tooLarge(file, problems)) {
        continue;
      }
      List<YamlDocument> documents = YamlTreeReader.read(file, problems);
      for (YamlDocument document : documents) {
      parse(document, out);
    }
    }
    return out.build();
  }

  /**
   * Reads a text (collecting problems as {@link #load} does); a source name ending with {@code .json} selects
   * the JSON parser.
   */
  public LoadedDocuments parse(String content, String sourceName) {
    LoadedDocuments.Builder out = new LoadedDocuments.Builder().source(sourceName);
    if (content.length() > maxDocumentSize) {
      out.problems().add(tooLargeProblem(sourceName, content.length(), "characters"));
      return out.build();
    }
    List<YamlDocument> documents = YamlTreeReader.read(content, sourceName, out.problems());
    for (YamlDocument document : documents) {
      parse(document, out);
    }
    return out.build();
  }

  /**
   * Whether the file is over the limit (a problem then says so). Checked before reading: a file is read whole and
   * its tree kept, so the limit bounds the memory a load takes (parsing itself is linear: YamlTreeReader).
   */
  private boolean tooLarge(Path file, DocumentProblems problems) {
    try {
      long size = Files.size(file);
      if (size > maxDocumentSize) {
        problems.add(tooLargeProblem(file.toString(), size, "bytes"));
        return true;
      }
    } catch (IOException e) {
      // YamlTreeReader reports why it cannot be read
    }
    return false;
  }

  private DocumentException tooLargeProblem(String source, long size, String unit) {
    return new DocumentException(new SourceLocation(source, 0, 0), null, "the file has " + size + " " + unit
        + ", more than the " + maxDocumentSize + " a promotion document may have (a template, task or step"
        + " definition file; the limit is a setting of the host: PromotionDocuments.read, promokit"
        + " --max-document-size)");
  }

  private void parse(YamlDocument document, LoadedDocuments.Builder out) {
    DocumentProblems problems = out.problems();
    int mark = problems.size();
    try {
      kinds.parse(document, out);
    } catch (DocumentException e) {
      problems.add(e);
    }
    problems.sortFrom(mark);
  }

  /** The files to read: files as given, folders expanded; each file once. A missing path is a problem. */
  static List<Path> files(Collection<Path> paths, DocumentProblems problems) {
    Set<Path> seen = new LinkedHashSet<>();
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      Objects.requireNonNull(path, "paths must not hold null");
      if (!Files.exists(path)) {
        problems.add(new DocumentException(new SourceLocation(path.toString(), 0, 0), null, "no such file or folder"));
        continue;
      }
      List<Path> expanded = Files.isDirectory(path) ? problems.orElse(() -> folderFiles(path), List.of()) : List.of(path);
      for (Path file : expanded) {
        if (seen.add(file.toAbsolutePath().normalize())) {
          files.add(file);
        }
      }
    }
    return files;
  }

  private static List<Path> folderFiles(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries
          .filter(Files::isRegularFile)
          .filter(DocumentLoader::isDocumentFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new DocumentException(new SourceLocation(folder.toString(), 0, 0), null,
          "cannot list the folder: " + e, e);
    }
  }

  private static boolean isDocumentFile(Path file) {
    String name = file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    return !name.startsWith(".") && (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json"));
  }
}
