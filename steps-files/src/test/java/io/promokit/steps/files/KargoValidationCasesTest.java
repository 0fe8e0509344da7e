package io.promokit.steps.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kargo's config validation cases ({@code Test_*_validate} / {@code convert}) for the file steps: each invalid
 * config ends the step {@code Failed} with a message naming the field, before anything is read or written.
 */
class KargoValidationCasesTest {

  @TempDir Path workdir;

  private String problem(String step, Map<String, ?> config) throws Exception {
    StepResult result = new StepRunner(workdir).run(step, config);
    assertThat(result.status()).as(step + " " + config).isEqualTo(StepStatus.FAILED);
    return result.message();
  }

  @Test
  void httpDownload() throws Exception {
    String url = "https://example.com/file.txt";
    assertThat(problem("http-download", Map.of())).startsWith("invalid config: config.url: is required");
    assertThat(problem("http-download", Map.of("url", "", "outPath", "f"))).startsWith("invalid config: config.url: ");
    assertThat(problem("http-download", Map.of("url", url))).isEqualTo("invalid config: config.outPath: is required");
    assertThat(problem("http-download", Map.of("url", url, "outPath", ""))).startsWith("invalid config: config.outPath: ");
    assertThat(problem("http-download", Map.of("url", url, "outPath", "f", "headers", List.of(Map.of()))))
        .startsWith("invalid config: config.headers[0].name: is required");
    assertThat(problem("http-download", Map.of("url", url, "outPath", "f", "headers",
        List.of(Map.of("name", "", "value", "v"))))).startsWith("invalid config: config.headers[0].name: ");
    assertThat(problem("http-download", Map.of("url", url, "outPath", "f", "headers",
        List.of(Map.of("name", "n", "value", ""))))).startsWith("invalid config: config.headers[0].value: ");
    assertThat(problem("http-download", Map.of("url", url, "outPath", "f", "queryParams", List.of(Map.of()))))
        .startsWith("invalid config: config.queryParams[0].name: is required");
    assertThat(problem("http-download", Map.of("url", url, "outPath", "f", "queryParams",
        List.of(Map.of("name", "n", "value", ""))))).startsWith("invalid config: config.queryParams[0].value: ");
    assertThat(problem("http-download", Map.of("url", url, "outPath", "f", "timeout", "invalid")))
        .startsWith("invalid config: config.timeout: ");
  }

  @Test
  void tarAndUntar() throws Exception {
    for (String step : List.of("tar", "untar")) {
      assertThat(problem(step, Map.of())).startsWith("invalid config: config.");
      assertThat(problem(step, Map.of("inPath", "", "outPath", "o"))).startsWith("invalid config: config.inPath: ");
      assertThat(problem(step, Map.of("inPath", "i", "outPath", ""))).startsWith("invalid config: config.outPath: ");
      assertThat(problem(step, Map.of("inPath", "i", "outPath", "o", "ignore", ""))).startsWith("invalid config: config.ignore: ");
      assertThat(problem(step, Map.of("inPath", "i", "outPath", "o", "extra", 1))).startsWith("invalid config: ");
    }
    assertThat(problem("tar", Map.of("inPath", "i", "outPath", "o", "gzip", "yes"))).startsWith("invalid config: config.gzip: ");
    assertThat(problem("untar", Map.of("inPath", "i", "outPath", "o", "stripComponents", -1)))
        .startsWith("invalid config: config.stripComponents: ");
    assertThat(problem("untar", Map.of("inPath", "i", "outPath", "o", "stripComponents", "1")))
        .startsWith("invalid config: config.stripComponents: ");
  }

  @Test
  void tomlAndYaml() throws Exception {
    assertThat(problem("toml-parse", Map.of("path", "f.toml"))).isEqualTo("invalid config: config.outputs: is required");
    assertThat(problem("toml-parse", Map.of("path", "f.toml", "outputs", List.of(Map.of("name", "", "fromExpression", "a")))))
        .startsWith("invalid config: config.outputs[0].name: ");
    assertThat(problem("toml-parse", Map.of("path", "f.toml", "outputs", List.of(Map.of("name", "a")))))
        .startsWith("invalid config: config.outputs[0].fromExpression: is required");
    assertThat(problem("toml-update", Map.of("path", "f.toml", "updates", List.of())))
        .startsWith("invalid config: config.updates: ");
    assertThat(problem("toml-update", Map.of("path", "f.toml", "updates", List.of(Map.of("key", "a")))))
        .startsWith("invalid config: config.updates[0].value: is required");
    assertThat(problem("toml-update", Map.of("path", "f.toml", "updates", List.of(Map.of("key", "", "value", 1)))))
        .startsWith("invalid config: config.updates[0].key: ");
    assertThat(problem("yaml-merge", Map.of("outFile", "o.yaml"))).isEqualTo("invalid config: config.inFiles: is required");
    assertThat(problem("yaml-merge", Map.of("inFiles", List.of("a.yaml")))).isEqualTo("invalid config: config.outFile: is required");
    assertThat(problem("yaml-merge", Map.of("inFiles", List.of("a.yaml"), "outFile", "o", "ignoreMissingFiles", "yes")))
        .startsWith("invalid config: config.ignoreMissingFiles: ");
  }
}
