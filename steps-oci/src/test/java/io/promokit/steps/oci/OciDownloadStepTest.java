package io.promokit.steps.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** oci-download against a real registry (docker-registry on 127.0.0.1, anonymous, plain HTTP). */
class OciDownloadStepTest {

  static final String CHART = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
  static final String PROV = "application/vnd.cncf.helm.chart.provenance.v1.prov";

  @TempDir static Path registryFolder;
  static TestRegistry registry;
  static RegistryFixture fixture;
  static RegistryFixture.Image chart;

  @TempDir Path workdir;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = TestRegistry.start(registryFolder);
    fixture = new RegistryFixture(registry.host());
    chart = fixture.image("charts/app", "1.0.0", "", PROV, "provenance".getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    registry.close();
  }

  private StepRunner runner() {
    return new StepRunner(OciSteps.builder().noDockerConfig().build(), workdir);
  }

  private RegistryFixture.Image twoLayers(String tag) throws Exception {
    byte[] prov = "provenance".getBytes(StandardCharsets.UTF_8);
    byte[] tgz = ("chart bytes " + tag).getBytes(StandardCharsets.UTF_8);
    RegistryFixture.Image image = fixture.image("charts/app", tag, "", PROV, prov);
    // replace with a two-layer manifest of different media types
    String configDigest = image.configDigest();
    String provDigest = fixture.blob("charts/app", prov);
    String tgzDigest = fixture.blob("charts/app", tgz);
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
        + "\"application/vnd.cncf.helm.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":"
        + ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"tag\":\"" + tag + "\"}").length() + "},\"layers\":["
        + "{\"mediaType\":\"" + PROV + "\",\"digest\":\"" + provDigest + "\",\"size\":" + prov.length + "},"
        + "{\"mediaType\":\"" + CHART + "\",\"digest\":\"" + tgzDigest + "\",\"size\":" + tgz.length + "}]}";
    fixture.manifest("charts/app", tag, Manifest.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8));
    return image;
  }

  @Test
  void savesTheFirstLayerOfTheMediaTypeAskedFor() throws Exception {
    twoLayers("2.0.0");
    StepResult result = runner().run("oci-download", Map.of("imageRef", "oci://" + registry.host()
        + "/charts/app:2.0.0", "outPath", "charts/app.tgz", "mediaType", CHART));

    assertThat(result.status()).as(result.message()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(result.outputs()).isEmpty();
    assertThat(Files.readString(workdir.resolve("charts/app.tgz"))).isEqualTo("chart bytes 2.0.0");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(workdir.resolve("charts"))))
        .isEqualTo("rwx------");
    assertThat(workdir.resolve("charts").toFile().list()).containsExactly("app.tgz");
  }

  @Test
  void withoutAMediaTypeSavesTheFirstLayer() throws Exception {
    twoLayers("2.0.1");
    StepResult result = runner().run("oci-download", Map.of("imageRef", registry.host() + "/charts/app:2.0.1",
        "outPath", "first"));

    assertThat(result.status()).as(result.message()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(Files.readString(workdir.resolve("first"))).isEqualTo("provenance");
  }

  @Test
  void byDigest() throws Exception {
    StepResult result = runner().run("oci-download", Map.of("imageRef", registry.host() + "/charts/app@"
        + chart.digest(), "outPath", "p"));

    assertThat(result.status()).as(result.message()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(Files.readString(workdir.resolve("p"))).isEqualTo("provenance");
  }

  @Test
  void noLayerOfTheMediaTypeIsAnError() throws Exception {
    StepException error = runner().error("oci-download", Map.of("imageRef", registry.host() + "/charts/app:1.0.0",
        "outPath", "x", "mediaType", "application/none"));

    assertThat(error.isTerminal()).isFalse();
    assertThat(error.getMessage()).isEqualTo("failed to find target layer: no layer found with media type "
        + "\"application/none\" (the layers are: " + PROV + ")");
    assertThat(workdir.toFile().list()).isEmpty();
  }

  @Test
  void anImageWithoutLayersIsAnError() throws Exception {
    fixture.image("empty/img", "v1", PROV);
    StepException error = runner().error("oci-download", Map.of("imageRef", registry.host() + "/empty/img:v1",
        "outPath", "x"));

    assertThat(error.getMessage()).isEqualTo("failed to find target layer: image has no layers");
  }

  @Test
  void anExistingFileIsKeptUnlessOverwriteIsAllowed() throws Exception {
    Files.writeString(workdir.resolve("out"), "old");
    StepException refused = runner().error("oci-download", Map.of("imageRef", registry.host() + "/charts/app:1.0.0",
        "outPath", "out"));
    assertThat(refused.isTerminal()).isTrue();
    assertThat(refused.getMessage()).isEqualTo("file already exists at out and overwrite is not allowed");
    assertThat(Files.readString(workdir.resolve("out"))).isEqualTo("old");

    StepResult replaced = runner().run("oci-download", Map.of("imageRef", registry.host() + "/charts/app:1.0.0",
        "outPath", "out", "allowOverwrite", true));
    assertThat(replaced.status()).as(replaced.message()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(Files.readString(workdir.resolve("out"))).isEqualTo("provenance");
  }

  @Test
  void aPathOutOfTheWorkdirIsInvalidConfig() throws Exception {
    StepResult result = runner().run("oci-download", Map.of("imageRef", registry.host() + "/charts/app:1.0.0",
        "outPath", "../escape.tgz"));

    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).isEqualTo("invalid config: config.outPath: \"../escape.tgz\" climbs out of the working directory");
  }

  @Test
  void aLayerOverTheLimitIsRefusedBeforeDownloading() throws Exception {
    fixture.image("big/img", "v1", CHART, new byte[2048]);
    StepException error = new StepRunner(OciSteps.builder().noDockerConfig().maxDownloadBytes(1024).build(), workdir)
        .error("oci-download", Map.of("imageRef", registry.host() + "/big/img:v1", "outPath", "big"));

    assertThat(error.isTerminal()).isTrue();
    assertThat(error.getMessage()).isEqualTo("layer size 2048 exceeds maximum allowed size of 1024 bytes");
    assertThat(workdir.toFile().list()).isEmpty();
  }

  @Test
  void anIndexResolvesToItsLinuxAmd64Image() throws Exception {
    RegistryFixture.Image arm = fixture.image("multi/app", "arm", CHART, "arm64 bytes".getBytes(StandardCharsets.UTF_8));
    RegistryFixture.Image amd = fixture.image("multi/app", "amd", CHART, "amd64 bytes".getBytes(StandardCharsets.UTF_8));
    fixture.index("multi/app", "v1", List.of("arm64", "amd64"), List.of(arm, amd));

    StepResult result = runner().run("oci-download", Map.of("imageRef", registry.host() + "/multi/app:v1",
        "outPath", "layer"));

    assertThat(result.status()).as(result.message()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(Files.readString(workdir.resolve("layer"))).isEqualTo("amd64 bytes");
  }

  @Test
  void aMissingTagSaysWhatIsMissing() throws Exception {
    StepException error = runner().error("oci-download", Map.of("imageRef", registry.host() + "/charts/app:9.9.9",
        "outPath", "x"));

    assertThat(error.isTerminal()).isFalse();
    assertThat(error.getMessage()).isEqualTo("\"" + registry.host() + "/charts/app:9.9.9\" was not found: "
        + registry.host() + " has no manifest 9.9.9 in charts/app: MANIFEST_UNKNOWN: manifest unknown");
  }

  @Test
  void plainHttpIsNotTriedForOtherRegistries() throws Exception {
    StepException error = new StepRunner(OciSteps.builder().noDockerConfig().plainHttpForLocalRegistries(false).build(),
        workdir).error("oci-download", Map.of("imageRef", registry.host() + "/charts/app:1.0.0", "outPath", "x"));

    assertThat(error.getMessage()).startsWith("GET /v2/: TLS with " + registry.host() + " failed");
  }
}
