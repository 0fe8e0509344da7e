package io.promokit.steps.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kargo's config validation cases ({@code Test_ociDownloader_validate}, {@code Test_ociPusher_validate}): each
 * invalid config ends the step {@code Failed} with a message naming the field, before any registry is asked;
 * the valid ones (with {@code oci://}, with a port) pass the schema.
 */
class KargoValidationCasesTest {

  @TempDir Path workdir;

  private String problem(String step, Map<String, ?> config) throws Exception {
    StepResult result = new StepRunner(OciSteps.builder().noDockerConfig().build(), workdir).run(step, config);
    assertThat(result.status()).as(step + " " + config).isEqualTo(StepStatus.FAILED);
    return result.message();
  }

  private boolean passesTheSchema(String step, Map<String, ?> config) {
    return new StepRunner(OciSteps.builder().noDockerConfig().build(), workdir).step(step).options().configSchema()
        .orElseThrow().validate(config, "config").isEmpty();
  }

  @Test
  void ociDownload() throws Exception {
    assertThat(problem("oci-download", Map.of("outPath", "out"))).isEqualTo("invalid config: config.imageRef: is required");
    assertThat(problem("oci-download", Map.of("imageRef", "registry.example.com/app:1"))).isEqualTo(
        "invalid config: config.outPath: is required");
    assertThat(problem("oci-download", Map.of("imageRef", "", "outPath", "out"))).startsWith("invalid config: config.imageRef: ");
    assertThat(problem("oci-download", Map.of("imageRef", "registry.example.com/app", "outPath", "out")))
        .startsWith("invalid config: config.imageRef: ");
    assertThat(problem("oci-download", Map.of("imageRef", "registry.example.com/app:1", "outPath", "out",
        "mediaType", ""))).startsWith("invalid config: config.mediaType: ");
    assertThat(passesTheSchema("oci-download", Map.of("imageRef", "oci://registry.example.com/charts/app:1.2.3",
        "outPath", "out"))).isTrue();
    assertThat(passesTheSchema("oci-download", Map.of("imageRef", "localhost:5000/app@sha256:" + "a".repeat(64),
        "outPath", "out"))).isTrue();
  }

  @Test
  void ociPush() throws Exception {
    assertThat(problem("oci-push", Map.of("destRef", "registry.example.com/app:2"))).isEqualTo(
        "invalid config: config.srcRef: is required");
    assertThat(problem("oci-push", Map.of("srcRef", "registry.example.com/app:1"))).isEqualTo(
        "invalid config: config.destRef: is required");
    assertThat(problem("oci-push", Map.of("srcRef", "registry.example.com/app:1",
        "destRef", "registry.example.com/app@sha256:" + "a".repeat(64)))).startsWith("invalid config: config.destRef: ");
    assertThat(problem("oci-push", Map.of("srcRef", "registry.example.com/app:1", "destRef", "registry.example.com/app:2",
        "annotations", Map.of("a", 1)))).startsWith("invalid config: config.annotations.a: ");
    assertThat(passesTheSchema("oci-push", Map.of("srcRef", "oci://registry.example.com:5000/charts/app:1",
        "destRef", "oci://prod.example.com/charts/app:1", "annotations", Map.of("index:a", "b")))).isTrue();
  }
}
