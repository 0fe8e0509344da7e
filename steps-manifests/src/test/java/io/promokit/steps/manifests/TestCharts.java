package io.promokit.steps.manifests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes small Helm charts for tests: as folders, and packaged as {@code .tgz} as {@code helm package} does. */
final class TestCharts {

  private TestCharts() {}

  static final String CONFIGMAP = """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: test-configmap
        namespace: {{ .Release.Namespace }}
      data:
        value: {{ .Values.value | quote }}
        list: {{ .Values.list | toJson | quote }}
      """;

  static final String SECRET = """
      apiVersion: v1
      kind: Secret
      metadata:
        name: test-secret
        namespace: {{ .Release.Namespace }}
      stringData:
        release: {{ .Release.Name }}
      """;

  /** A chart folder with the given files (paths relative to the chart). */
  static Path chart(Path dir, String name, String version, Map<String, String> files) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n");
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path target = dir.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue());
    }
    return dir;
  }

  /** An umbrella chart {@code <dir's name>} 0.1.0 with one dependency. */
  static Path umbrella(Path dir, String dependency, String version, String repository) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("Chart.yaml"), """
        apiVersion: v2
        name: %s
        version: 0.1.0
        dependencies:
        - name: %s
          version: "%s"
          repository: %s
        """.formatted(dir.getFileName(), dependency, version, repository));
    return dir;
  }

  /** The standard test chart: a ConfigMap and a Secret, values {@code value} and {@code list}. */
  static Path testChart(Path dir) throws IOException {
    return chart(dir, "test-chart", "0.1.0", Map.of(
        "values.yaml", "value: default\nlist: []\n",
        "templates/test.yaml", CONFIGMAP,
        "templates/secret.yaml", SECRET));
  }

  /** A chart packaged as {@code <name>-<version>.tgz} bytes, entries under {@code <name>/}. */
  static byte[] packaged(String name, String version, Map<String, String> files) throws IOException {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("Chart.yaml", "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n");
    all.putAll(files);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      for (Map.Entry<String, String> file : all.entrySet()) {
        tarEntry(gzip, name + "/" + file.getKey(), file.getValue().getBytes(StandardCharsets.UTF_8));
      }
      gzip.write(new byte[1024]);
    }
    return bytes.toByteArray();
  }

  private static void tarEntry(OutputStream out, String path, byte[] data) throws IOException {
    byte[] header = new byte[512];
    put(header, 0, path, 100);
    put(header, 100, "0000644", 8);
    put(header, 108, "0000000", 8);
    put(header, 116, "0000000", 8);
    put(header, 124, String.format("%011o", data.length), 12);
    put(header, 136, String.format("%011o", 0), 12);
    header[156] = '0';
    put(header, 257, "ustar", 6);
    put(header, 263, "00", 2);
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    int sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format("%06o", sum), 7);
    out.write(header);
    out.write(data);
    out.write(new byte[(512 - data.length % 512) % 512]);
  }

  private static void put(byte[] header, int offset, String text, int max) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(bytes, 0, header, offset, Math.min(bytes.length, max));
  }
}
