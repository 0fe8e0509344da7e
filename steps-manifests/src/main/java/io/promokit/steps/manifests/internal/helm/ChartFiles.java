package io.promokit.steps.manifests.internal.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The files of a chart (a directory or a {@code .tgz}) and of its subcharts in {@code charts/}, as far as the
 * steps need to look into them: templates (for what helm-java cannot render), CRDs, and the dependencies'
 * conditions. Of a chart directory only Chart.yaml, {@code templates/} and {@code crds/} are read. Paths inside
 * a chart are relative ({@code templates/x.yaml}); {@link #fullPath()} is Helm's {@code parent/charts/child}
 * naming.
 */
public final class ChartFiles {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String fullPath;
  private final Map<String, byte[]> files;
  private final List<ChartFiles> subcharts = new ArrayList<>();

  private ChartFiles(String fullPath, Map<String, byte[]> files) {
    this.fullPath = fullPath;
    this.files = files;
  }

  /** Reads a chart directory or archive with its subcharts. */
  public static ChartFiles read(Path chart) throws IOException {
    return read(chart, null);
  }

  private static ChartFiles read(Path chart, String parent) throws IOException {
    if (Files.isDirectory(chart)) {
      Map<String, byte[]> files = new LinkedHashMap<>();
      Path chartYaml = chart.resolve("Chart.yaml");
      if (Files.isRegularFile(chartYaml)) {
        files.put("Chart.yaml", Files.readAllBytes(chartYaml));
      }
      for (String folder : new String[] {"crds", "templates"}) {
        readTree(chart, chart.resolve(folder), files);
      }
      ChartFiles result = new ChartFiles(fullPath(parent, name(files, chart.getFileName().toString())), files);
      Path charts = chart.resolve("charts");
      if (Files.isDirectory(charts)) {
        try (Stream<Path> list = Files.list(charts)) {
          for (Path sub : list.sorted().toList()) {
            if (Files.isDirectory(sub) || sub.getFileName().toString().endsWith(".tgz")) {
              result.subcharts.add(read(sub, result.fullPath));
            }
          }
        }
      }
      return result;
    }
    try (InputStream in = Files.newInputStream(chart)) {
      return fromArchive(in, parent);
    }
  }

  /** Reads the files under {@code folder} (sorted by path, symlinks followed as Helm does) into {@code files}. */
  private static void readTree(Path chart, Path folder, Map<String, byte[]> files) throws IOException {
    if (!Files.isDirectory(folder)) {
      return;
    }
    Map<Path, Long> found = new TreeMap<>();
    Files.walkFileTree(folder, Set.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          found.put(file, attrs.size());
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;   // a dangling link or a loop: Helm's loader reports those itself
      }
    });
    for (Map.Entry<Path, Long> file : found.entrySet()) {
      files.put(chart.relativize(file.getKey()).toString().replace('\\', '/'), read(file.getKey(), file.getValue()));
    }
  }

  /**
   * A file's bytes, its size known from the walk: one open, one read, one close (a chart's templates are many
   * small files, and this runs on every render).
   */
  private static byte[] read(Path file, long size) throws IOException {
    if (size > Integer.MAX_VALUE - 8) {
      throw new IOException(file + " is too large for a chart template");
    }
    try (FileChannel channel = FileChannel.open(file)) {
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // a file that shrank since the walk ends the loop at its end
      }
      return buffer.position() == buffer.capacity() ? buffer.array()
          : java.util.Arrays.copyOf(buffer.array(), buffer.position());
    }
  }

  private static ChartFiles fromArchive(InputStream archive, String parent) throws IOException {
    Map<String, byte[]> all = TarEntries.read(new GZIPInputStream(new BufferedInputStream(archive)));
    Map<String, byte[]> files = new LinkedHashMap<>();
    Map<String, Map<String, byte[]>> nested = new LinkedHashMap<>();
    List<byte[]> nestedArchives = new ArrayList<>();
    String top = null;
    for (Map.Entry<String, byte[]> entry : all.entrySet()) {
      String path = entry.getKey();
      int slash = path.indexOf('/');
      if (slash < 0) {
        continue;
      }
      top = top == null ? path.substring(0, slash) : top;
      String relative = path.substring(slash + 1);
      if (relative.startsWith("charts/")) {
        String rest = relative.substring("charts/".length());
        int next = rest.indexOf('/');
        if (next < 0 && rest.endsWith(".tgz")) {
          nestedArchives.add(entry.getValue());
        } else if (next > 0) {
          nested.computeIfAbsent(rest.substring(0, next), k -> new LinkedHashMap<>())
              .put(top + "/" + rest, entry.getValue());
        }
      } else {
        files.put(relative, entry.getValue());
      }
    }
    ChartFiles result = new ChartFiles(fullPath(parent, name(files, top == null ? "" : top)), files);
    for (Map<String, byte[]> sub : nested.values()) {
      result.subcharts.add(fromEntries(sub, result.fullPath));
    }
    for (byte[] sub : nestedArchives) {
      result.subcharts.add(fromArchive(new java.io.ByteArrayInputStream(sub), result.fullPath));
    }
    return result;
  }

  private static ChartFiles fromEntries(Map<String, byte[]> entries, String parent) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    entries.forEach((path, data) -> files.put(path.substring(path.indexOf('/', path.indexOf('/') + 1) + 1), data));
    return new ChartFiles(fullPath(parent, name(files, "")), files);
  }

  private static String fullPath(String parent, String name) {
    return parent == null ? name : parent + "/charts/" + name;
  }

  private static String name(Map<String, byte[]> files, String fallback) {
    Map<String, Object> chartYaml = yaml(files.get("Chart.yaml"));
    return chartYaml.get("name") instanceof String s ? s : fallback;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(byte[] bytes) {
    if (bytes == null) {
      return Map.of();
    }
    try {
      Object value = YAML.readValue(bytes, Object.class);
      return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    } catch (IOException e) {
      return Map.of();
    }
  }

  /** The {@code dependencies} of a Chart.yaml (or Chart.lock) as read; an entry that is not a map is empty. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> dependencies(Map<String, Object> chartYaml) {
    List<Map<String, Object>> result = new ArrayList<>();
    if (chartYaml.get("dependencies") instanceof List<?> list) {
      for (Object item : list) {
        result.add(item instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
      }
    }
    return result;
  }

  /** Helm's name for the chart: its name, or {@code parent/charts/name} for a subchart. */
  public String fullPath() {
    return fullPath;
  }

  public List<ChartFiles> subcharts() {
    return List.copyOf(subcharts);
  }

  /** This chart and every subchart, depth first. */
  public List<ChartFiles> all() {
    List<ChartFiles> result = new ArrayList<>();
    result.add(this);
    subcharts.forEach(sub -> result.addAll(sub.all()));
    return result;
  }

  /** The text of the files under {@code templates/}, by path. */
  public Map<String, String> templates() {
    Map<String, String> templates = new LinkedHashMap<>();
    files.forEach((path, data) -> {
      if (path.startsWith("templates/")) {
        templates.put(path, new String(data, StandardCharsets.UTF_8));
      }
    });
    return templates;
  }

  /** The CRD files ({@code crds/*.yaml|yml|json}), by path, in Helm's order. */
  public Map<String, String> crds() {
    Map<String, String> crds = new LinkedHashMap<>();
    files.forEach((path, data) -> {
      if (path.startsWith("crds/") && (path.endsWith(".yaml") || path.endsWith(".yml") || path.endsWith(".json"))) {
        crds.put(path, new String(data, StandardCharsets.UTF_8));
      }
    });
    return crds;
  }

  /** The dependencies Chart.yaml declares with a {@code condition} or {@code tags}, by name (or alias). */
  @SuppressWarnings("unchecked")
  public List<String> conditionalDependencies() {
    List<String> names = new ArrayList<>();
    if (yaml(files.get("Chart.yaml")).get("dependencies") instanceof List<?> deps) {
      for (Object dep : deps) {
        if (dep instanceof Map<?, ?> d) {
          Map<String, Object> m = (Map<String, Object>) d;
          boolean conditional = (m.get("condition") instanceof String c && !c.isBlank())
              || (m.get("tags") instanceof List<?> t && !t.isEmpty());
          if (conditional) {
            names.add(String.valueOf(m.get("name")));
          }
        }
      }
    }
    return names;
  }
}
