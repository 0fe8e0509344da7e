package io.promokit.steps.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * oci-push against real registries (two docker-registry processes on 127.0.0.1, anonymous): Kargo's run cases
 * (new tag, by digest, an index, annotations plain and scoped, cross-repository, source not found) and the size
 * limit cases.
 */
class OciPushStepTest {

  static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

  @TempDir static Path folder;
  static TestRegistry first;
  static TestRegistry second;
  static RegistryFixture one;
  static RegistryFixture two;
  static RegistryFixture.Image app;
  static RegistryFixture.Image arm;
  static RegistryFixture.Image amd;
  static String index;

  @TempDir Path workdir;

  @BeforeAll
  static void startRegistries() throws Exception {
    first = TestRegistry.start(folder.resolve("first"));
    second = TestRegistry.start(folder.resolve("second"));
    one = new RegistryFixture(first.host());
    two = new RegistryFixture(second.host());
    app = one.image("team/app", "v1", ",\"annotations\":{\"org.example.kept\":\"yes\"}", LAYER,
        "layer one".getBytes(StandardCharsets.UTF_8), "layer two".getBytes(StandardCharsets.UTF_8));
    arm = one.image("team/multi", "arm", LAYER, "arm64 layer".getBytes(StandardCharsets.UTF_8));
    amd = one.image("team/multi", "amd", LAYER, "amd64 layer".getBytes(StandardCharsets.UTF_8));
    index = one.index("team/multi", "v1", List.of("arm64", "amd64"), List.of(arm, amd));
  }

  @AfterAll
  static void stopRegistries() throws Exception {
    first.close();
    second.close();
  }

  private StepRunner runner() {
    return new StepRunner(OciSteps.builder().noDockerConfig().build(), workdir);
  }

  private StepResult push(Map<String, ?> config) throws Exception {
    StepResult result = runner().run("oci-push", config);
    assertThat(result.status()).as(result.message()).isEqualTo(StepStatus.SUCCEEDED);
    return result;
  }

  @Test
  void aNewTagInTheSameRepositoryKeepsTheManifestByteForByte() throws Exception {
    StepResult result = push(Map.of("srcRef", first.host() + "/team/app:v1", "destRef", first.host() + "/team/app:release"));

    assertThat(result.outputs()).isEqualTo(Map.of("image", first.host() + "/team/app:release", "digest", app.digest(),
        "tag", "release"));
    assertThat(one.manifestBytes("team/app", "release")).isEqualTo(app.manifest());
  }

  @Test
  void bySourceDigest() throws Exception {
    StepResult result = push(Map.of("srcRef", first.host() + "/team/app@" + app.digest(),
        "destRef", first.host() + "/team/app:by-digest"));

    assertThat(result.outputs().get("digest")).isEqualTo(app.digest());
    assertThat(one.manifestBytes("team/app", "by-digest")).isEqualTo(app.manifest());
  }

  @Test
  void toAnotherRegistryCopiesEveryBlobAndKeepsTheDigest() throws Exception {
    StepRunner runner = runner();
    StepResult result = runner.run("oci-push", Map.of("srcRef", first.host() + "/team/app:v1",
        "destRef", "oci://" + second.host() + "/prod/app:v1"));
    assertThat(result.status()).as(result.message()).isEqualTo(StepStatus.SUCCEEDED);

    assertThat(result.outputs()).isEqualTo(Map.of("image", second.host() + "/prod/app:v1", "digest", app.digest(),
        "tag", "v1"));
    assertThat(two.manifestBytes("prod/app", "v1")).isEqualTo(app.manifest());
    for (String blob : List.of(app.configDigest(), app.layerDigests().get(0), app.layerDigests().get(1))) {
      assertThat(two.hasBlob("prod/app", blob)).as(blob).isTrue();
    }
    assertThat(runner.lines()).contains("INFO: copied blob " + app.layerDigests().get(0) + " (9 bytes) to "
        + second.host() + "/prod/app");

    // a second copy finds every blob there already
    StepRunner again = runner();
    StepResult second = again.run("oci-push", Map.of("srcRef", first.host() + "/team/app:v1",
        "destRef", this.second.host() + "/prod/app:v1-again"));
    assertThat(second.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(again.lines()).contains("INFO: blob " + app.configDigest() + " is already in " + this.second.host() + "/prod/app");
  }

  @Test
  void toAnotherRepositoryOfTheSameRegistryMountsTheBlobs() throws Exception {
    StepRunner runner = runner();
    StepResult result = runner.run("oci-push", Map.of("srcRef", first.host() + "/team/app:v1",
        "destRef", first.host() + "/stage/app:v1"));

    assertThat(result.status()).as(result.message()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(one.manifestBytes("stage/app", "v1")).isEqualTo(app.manifest());
    assertThat(runner.lines()).contains("INFO: mounted blob " + app.layerDigests().get(1) + " from team/app");
  }

  @Test
  void anIndexIsCopiedWithEveryImage() throws Exception {
    StepResult result = push(Map.of("srcRef", first.host() + "/team/multi:v1",
        "destRef", second.host() + "/prod/multi:v1"));

    assertThat(result.outputs().get("digest")).isEqualTo(index);
    assertThat(Manifest.sha256(two.manifestBytes("prod/multi", "v1"))).isEqualTo(index);
    assertThat(two.manifestBytes("prod/multi", arm.digest())).isEqualTo(arm.manifest());
    assertThat(two.manifestBytes("prod/multi", amd.digest())).isEqualTo(amd.manifest());
    assertThat(two.hasBlob("prod/multi", amd.layerDigests().get(0))).isTrue();
  }

  @Test
  void annotationsMakeANewManifestThatKeepsTheRest() throws Exception {
    StepResult result = push(Map.of("srcRef", first.host() + "/team/app:v1", "destRef", first.host() + "/team/app:annotated",
        "annotations", Map.of("org.opencontainers.image.source", "https://example.com/app", "index:ignored", "x")));

    String digest = (String) result.outputs().get("digest");
    assertThat(digest).isNotEqualTo(app.digest());
    byte[] stored = one.manifestBytes("team/app", "annotated");
    assertThat(Manifest.sha256(stored)).isEqualTo(digest);
    JsonNode original = Manifest.JSON.readTree(app.manifest());
    JsonNode annotated = Manifest.JSON.readTree(stored);
    assertThat(annotated.path("annotations").toString())
        .isEqualTo("{\"org.example.kept\":\"yes\",\"org.opencontainers.image.source\":\"https://example.com/app\"}");
    assertThat(annotated.path("layers")).isEqualTo(original.path("layers"));
    assertThat(annotated.path("config")).isEqualTo(original.path("config"));
  }

  @Test
  void onAnIndexUnprefixedAnnotationsGoToTheImagesAndIndexOnesToTheIndex() throws Exception {
    StepResult result = push(Map.of("srcRef", first.host() + "/team/multi:v1", "destRef", second.host() + "/scoped/multi:v1",
        "annotations", Map.of("org.example.image", "child", "manifest:org.example.also", "child too",
            "index:org.example.index", "top")));

    byte[] stored = two.manifestBytes("scoped/multi", "v1");
    assertThat(Manifest.sha256(stored)).isEqualTo(result.outputs().get("digest"));
    JsonNode top = Manifest.JSON.readTree(stored);
    assertThat(top.path("annotations").toString()).isEqualTo("{\"org.example.index\":\"top\",\"org.example.kept\":\"yes\"}");
    for (JsonNode child : top.path("manifests")) {
      byte[] childBytes = two.manifestBytes("scoped/multi", child.path("digest").asText());
      assertThat(childBytes).isNotNull();
      assertThat(child.path("size").asInt()).isEqualTo(childBytes.length);
      assertThat(Manifest.JSON.readTree(childBytes).path("annotations").toString())
          .isEqualTo("{\"org.example.also\":\"child too\",\"org.example.image\":\"child\"}");
    }
    assertThat(top.path("manifests").get(0).path("digest").asText()).isNotEqualTo(arm.digest());
  }

  @Test
  void aMissingSourceIsAnErrorNamingIt() throws Exception {
    StepException error = runner().error("oci-push", Map.of("srcRef", first.host() + "/team/app:nope",
        "destRef", first.host() + "/team/app:x"));

    assertThat(error.isTerminal()).isFalse();
    assertThat(error.getMessage()).isEqualTo("\"" + first.host() + "/team/app:nope\" was not found: " + first.host()
        + " has no manifest nope in team/app: MANIFEST_UNKNOWN: manifest unknown");
  }

  @Test
  void anInvalidReferenceIsInvalidConfig() throws Exception {
    StepResult result = runner().run("oci-push", Map.of("srcRef", "Registry.example/UPPER:v1",
        "destRef", first.host() + "/team/app:x"));

    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).isEqualTo("invalid config: config.srcRef: failed to parse source reference "
        + "\"Registry.example/UPPER:v1\": invalid image reference \"Registry.example/UPPER:v1\": repository can only "
        + "contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: UPPER");
  }

  @Test
  void limitZeroRefusesCrossRepositoryCopiesButNotARetag() throws Exception {
    StepRunner limited = new StepRunner(OciSteps.builder().noDockerConfig().maxPushBytes(0).build(), workdir);
    StepException refused = limited.error("oci-push", Map.of("srcRef", first.host() + "/team/app:v1",
        "destRef", first.host() + "/other/app:v1"));
    assertThat(refused.isTerminal()).isTrue();
    assertThat(refused.getMessage()).isEqualTo("cross-repository pushes are disabled (MAX_OCI_PUSH_ARTIFACT_SIZE is 0);"
        + " only a retag inside " + first.host() + "/team/app is allowed");
    assertThat(one.manifestBytes("other/app", "v1")).isNull();

    StepResult retag = limited.run("oci-push", Map.of("srcRef", first.host() + "/team/app:v1",
        "destRef", first.host() + "/team/app:retagged"));
    assertThat(retag.status()).as(retag.message()).isEqualTo(StepStatus.SUCCEEDED);
  }

  @Test
  void anArtifactOverTheLimitIsRefusedSummedOverAnIndex() throws Exception {
    long indexSize = sizeOf(arm) + sizeOf(amd);
    StepRunner limited = new StepRunner(OciSteps.builder().noDockerConfig().maxPushBytes(indexSize - 1).build(), workdir);
    StepException refused = limited.error("oci-push", Map.of("srcRef", first.host() + "/team/multi:v1",
        "destRef", second.host() + "/big/multi:v1"));
    assertThat(refused.isTerminal()).isTrue();
    assertThat(refused.getMessage()).isEqualTo("artifact size " + indexSize + " bytes exceeds the maximum of "
        + (indexSize - 1) + " bytes for a cross-repository push (MAX_OCI_PUSH_ARTIFACT_SIZE)");

    StepRunner unlimited = new StepRunner(OciSteps.builder().noDockerConfig().maxPushBytes(-1).build(), workdir);
    assertThat(unlimited.run("oci-push", Map.of("srcRef", first.host() + "/team/multi:v1",
        "destRef", second.host() + "/big/multi:v1")).status()).isEqualTo(StepStatus.SUCCEEDED);
  }

  @Test
  void theTemporaryBlobFolderIsRemoved() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    long before = countSpools(tmp);
    push(Map.of("srcRef", first.host() + "/team/app:v1", "destRef", second.host() + "/spool/app:v1"));
    assertThat(countSpools(tmp)).isEqualTo(before);
    assertThat(workdir.toFile().list()).isEmpty();
  }

  @Test
  void thePushLimitVariableIsReadAsKargoDoes() {
    assertThat(OciSteps.pushLimitFromEnvironment(null)).isEqualTo(1L << 30);
    assertThat(OciSteps.pushLimitFromEnvironment("")).isEqualTo(1L << 30);
    assertThat(OciSteps.pushLimitFromEnvironment("0")).isZero();
    assertThat(OciSteps.pushLimitFromEnvironment("-1")).isEqualTo(-1);
    assertThat(OciSteps.pushLimitFromEnvironment(" 2048 ")).isEqualTo(2048);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OciSteps.pushLimitFromEnvironment("1GiB"))
        .hasMessage("MAX_OCI_PUSH_ARTIFACT_SIZE must be a whole number of bytes, but was \"1GiB\"");
  }

  private static long sizeOf(RegistryFixture.Image image) throws Exception {
    Manifest manifest = Manifest.read(image.manifest(), null);
    return manifest.config().size() + manifest.layers().stream().mapToLong(Manifest.Descriptor::size).sum();
  }

  private static long countSpools(Path tmp) throws Exception {
    try (var files = Files.list(tmp)) {
      return files.filter(p -> p.getFileName().toString().startsWith("promokit-oci-")).count();
    }
  }
}
