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

  public DocumentLoader(DocumentKinds kinds) {
    this.kinds = Objects.requireNonNull(kinds, "kinds must not be null");
  }

  /** A loader of the standard kinds. */
  public static DocumentLoader standard() {
    return new DocumentLoader(DocumentKinds.standard());
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
      List<YamlDocument> documents = YamlTreeReader.read(file, problems);
      documents.forEach(document -> parse(document, out));
    }
    return out.build();
  }

  /**
   * Reads a text (collecting problems as {@link #load} does); a source name ending with {@code .json} selects
   * the JSON parser.
   */
  public LoadedDocuments parse(String content, String sourceName) {
    LoadedDocuments.Builder out = new LoadedDocuments.Builder().source(sourceName);
    List<YamlDocument> documents = YamlTreeReader.read(content, sourceName, out.problems());
    documents.forEach(document -> parse(document, out));
    return out.build();
  }

  private void parse(YamlDocument document, LoadedDocuments.Builder out) {
    DocumentProblems problems = out.problems();
    int mark = problems.size();
    problems.attempt(() -> kinds.parse(document, out));
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
