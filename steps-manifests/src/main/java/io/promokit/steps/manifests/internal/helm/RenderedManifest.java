package io.promokit.steps.manifests.internal.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.promokit.steps.kit.AtomicFiles;
import io.promokit.steps.manifests.internal.Resource;
import io.promokit.steps.manifests.internal.SafeFileNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What Helm rendered, as the documents of its manifest, each with the template it came from
 * ({@code # Source: chart/templates/x.yaml}), and the three ways helm-template writes it out.
 */
public final class RenderedManifest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** One document and the template (or CRD file) it came from. */
  public record Document(String source, String content) {}

  private final List<Document> documents;

  private RenderedManifest(List<Document> documents) {
    this.documents = List.copyOf(documents);
  }

  /**
   * Splits Helm's manifest text, a run of {@code ---\n# Source: <path>\n<content>\n} sections.
   *
   * @param crds CRD documents to put first (Helm writes them before the templates)
   */
  public static RenderedManifest parse(String manifest, List<Document> crds) {
    List<Document> documents = new ArrayList<>(crds);
    String text = manifest.strip();
    if (!text.isEmpty()) {
      for (String section : ("\n" + text).split("\n---\n(?=# Source: )")) {
        if (section.isBlank()) {
          continue;
        }
        int newline = section.indexOf('\n');
        String header = newline < 0 ? section : section.substring(0, newline);
        String content = newline < 0 ? "" : section.substring(newline + 1);
        if (header.startsWith("# Source: ")) {
          documents.add(new Document(header.substring("# Source: ".length()), content));
        } else {
          documents.add(new Document("", section));
        }
      }
    }
    return new RenderedManifest(documents);
  }

  public List<Document> documents() {
    return documents;
  }

  /** The whole manifest as {@code helm template} prints it (trimmed, one final line break). */
  public String asText() {
    StringBuilder sb = new StringBuilder();
    documents.forEach(d -> sb.append("---\n# Source: ").append(d.source()).append('\n').append(d.content()).append('\n'));
    return sb.toString().strip() + "\n";
  }

  /** All documents in one file. */
  public void writeFile(Path file) throws IOException {
    AtomicFiles.writeString(file, asText());
  }

  /**
   * The {@code helm} layout, as {@code helm template --output-dir}: each document goes to
   * {@code <dir>/<source>}, documents of one template appended to one file.
   */
  public void writeHelmLayout(Path dir) throws IOException {
    Map<String, StringBuilder> files = new LinkedHashMap<>();
    for (Document d : documents) {
      files.computeIfAbsent(d.source(), s -> new StringBuilder())
          .append("---\n# Source: ").append(d.source()).append('\n').append(d.content()).append('\n');
    }
    for (Map.Entry<String, StringBuilder> file : files.entrySet()) {
      Path target = dir.resolve(file.getKey()).normalize();
      if (!target.startsWith(dir)) {
        throw new IOException("the template path \"" + file.getKey() + "\" leads outside the output folder");
      }
      AtomicFiles.writeString(target, file.getValue().toString());
    }
  }

  /**
   * The {@code flat} layout: each document, trimmed and with its {@code # Source:} line, in its own file named
   * {@code [<group>-]<kind>[-<namespace>]-<name>.yaml}. Documents without kind or name are numbered
   * {@code resource-<i>.yaml} (Kargo gives them all {@code resource-0.yaml}, so each overwrote the last).
   */
  public void writeFlat(Path dir) throws IOException {
    int unnamed = 0;
    java.nio.file.Files.createDirectories(dir);
    for (Document d : documents) {
      String text = ("# Source: " + d.source() + "\n" + d.content()).strip();
      String name = flatName(d.content());
      if (name.isEmpty()) {
        name = "resource-" + unnamed++ + ".yaml";
      }
      AtomicFiles.writeString(dir.resolve(SafeFileNames.check(name)), text);
    }
  }

  @SuppressWarnings("unchecked")
  static String flatName(String content) {
    Object parsed;
    try {
      parsed = YAML.readValue(content, Object.class);
    } catch (IOException e) {
      return "";
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      return "";
    }
    Resource resource = new Resource((Map<String, Object>) map);
    if (resource.kind().isEmpty() || resource.name().isEmpty()) {
      return "";
    }
    StringBuilder name = new StringBuilder();
    if (!resource.group().isEmpty()) {
      name.append(resource.group().replace('.', '_')).append('-');
    }
    name.append(resource.kind());
    if (!resource.namespace().isEmpty()) {
      name.append('-').append(resource.namespace());
    }
    name.append('-').append(resource.name());
    return (name + ".yaml").toLowerCase(Locale.ROOT);
  }
}
