package io.promokit.steps.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kustomize-set-image: Kargo's merge rules, messages and file discovery, with the file's layout kept. */
class KustomizeSetImageStepTest {

  @TempDir
  Path workdir;

  private final ManifestSteps steps = ManifestSteps.create();

  private StepResult set(Map<String, ?> config) throws Exception {
    return Steps.run(steps, "kustomize-set-image", Steps.context(workdir, config));
  }

  @Test
  void setsAnImageKeepingCommentsAndTheRestOfTheFile() throws Exception {
    Files.writeString(workdir.resolve("kustomization.yaml"), """
        # the app
        resources:
        - deployment.yaml  # keep me
        images:
        - name: redis
          newTag: 6.0.0
        namespace: demo
        """);

    StepResult result = set(Map.of("path", ".", "images", List.of(Map.of("image", "nginx", "tag", "1.21.0"))));

    assertThat(result.outputs()).containsEntry("commitMessage",
        "Updated . to use new images\n\n- nginx:1.21.0\n- redis:6.0.0");
    assertThat(Files.readString(workdir.resolve("kustomization.yaml"))).isEqualTo("""
        # the app
        resources:
        - deployment.yaml  # keep me
        images:
        - name: nginx
          newTag: 1.21.0
        - name: redis
          newTag: 6.0.0
        namespace: demo
        """);
  }

  @Test
  void aSingleImageGivesKargosMessage() throws Exception {
    Files.writeString(workdir.resolve("kustomization.yaml"), "resources: []\n");
    StepResult result = set(Map.of("path", ".", "images", List.of(Map.of("image", "nginx", "tag", "1.21.0"))));
    assertThat(result.outputs()).containsEntry("commitMessage", "Updated . to use new image\n\n- nginx:1.21.0");
    assertThat(Files.readString(workdir.resolve("kustomization.yaml")))
        .isEqualTo("resources: []\nimages:\n  - name: nginx\n    newTag: 1.21.0\n");   // no list to learn from: the editor indents
  }

  @Test
  void aTargetReplacesTheWholeEntryAndAStarKeepsAField() {
    List<KustomizeSetImageStep.Entry> current = List.of(
        new KustomizeSetImageStep.Entry("app", "registry/app", "", "1.0", ""),
        new KustomizeSetImageStep.Entry("db", "registry/db", "", "1.0", ""),
        new KustomizeSetImageStep.Entry("cache", "", "", "2", ""));
    var targets = KustomizeSetImageStep.fromConfig(List.of(
        new KustomizeSetImageStep.Image("app", null, "*", null, "sha256:abc"),
        new KustomizeSetImageStep.Image("db", null, null, "2.0", null),
        new KustomizeSetImageStep.Image("new", null, "*", "*", null)));

    assertThat(KustomizeSetImageStep.merge(current, targets)).containsExactly(
        new KustomizeSetImageStep.Entry("app", "registry/app", "", "", "sha256:abc"),
        new KustomizeSetImageStep.Entry("cache", "", "", "2", ""),
        new KustomizeSetImageStep.Entry("db", "", "", "2.0", ""),
        new KustomizeSetImageStep.Entry("new", "", "", "", ""));
  }

  @Test
  void digestsAndNewNamesShowInTheMessage() {
    assertThat(KustomizeSetImageStep.commitMessage("p", List.of(
        new KustomizeSetImageStep.Entry("a", "other/a", "", "1", ""),
        new KustomizeSetImageStep.Entry("b", "", "", "", "sha256:123"))))
        .isEqualTo("Updated p to use new images\n\n- other/a:1\n- b@sha256:123");
  }

  @Test
  void autoModeWithoutAFreightImageSourceIsInvalidConfig() throws Exception {
    Files.writeString(workdir.resolve("kustomization.yaml"), "resources: []\n");
    StepResult result = set(Map.of("path", "."));
    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).isEqualTo("invalid config: config.images: no images given, and this host supplies no "
        + "Freight images for auto mode (ManifestSteps.builder().freightImages(...)); list the images to set");
  }

  @Test
  void autoModeUsesTheHostsFreightImagesAndRefusesAmbiguity() throws Exception {
    Files.writeString(workdir.resolve("kustomization.yaml"), "resources: []\n");
    ManifestSteps auto = ManifestSteps.builder().freightImages(promotion -> List.of(
        new FreightImage("nginx", "", "sha256:123"), new FreightImage("redis", "6.2.5", ""))).build();
    StepResult result = Steps.run(auto, "kustomize-set-image", Steps.context(workdir, Map.of("path", ".")));
    assertThat(result.outputs()).containsEntry("commitMessage",
        "Updated . to use new images\n\n- nginx@sha256:123\n- redis:6.2.5");

    ManifestSteps ambiguous = ManifestSteps.builder().freightImages(new FreightImageSource() {
      @Override
      public List<FreightImage> images(io.promokit.PromotionContext promotion) {
        return List.of();
      }

      @Override
      public boolean isAmbiguous(io.promokit.PromotionContext promotion) {
        return true;
      }
    }).build();
    assertThatThrownBy(() -> Steps.run(ambiguous, "kustomize-set-image", Steps.context(workdir, Map.of("path", "."))))
        .isInstanceOf(StepException.class).hasMessage("manual configuration required due to ambiguous result");
  }

  @Test
  void findsKustomizationFilesByKustomizesNames() throws Exception {
    assertThatThrownBy(() -> set(Map.of("path", ".", "images", List.of(Map.of("image", "x", "tag", "1")))))
        .hasMessage("could not find any Kustomization files in \".\" (looked for kustomization.yaml, "
            + "kustomization.yml, Kustomization)");
    Files.writeString(workdir.resolve("Kustomization"), "resources: []\n");
    assertThat(set(Map.of("path", ".", "images", List.of(Map.of("image", "x", "tag", "1")))).status())
        .isEqualTo(StepStatus.SUCCEEDED);
    Files.writeString(workdir.resolve("kustomization.yaml"), "resources: []\n");
    assertThatThrownBy(() -> set(Map.of("path", ".", "images", List.of(Map.of("image", "x", "tag", "1")))))
        .hasMessage("ambiguous result: found multiple Kustomization files in \".\": [kustomization.yaml, Kustomization]");
  }

  @Test
  void exactlyOneOfTagAndDigestIsRequired() throws Exception {
    StepResult both = set(Map.of("path", ".", "images", List.of(Map.of("image", "x", "tag", "1", "digest", "d"))));
    assertThat(both.status()).isEqualTo(StepStatus.FAILED);
    assertThat(both.message()).startsWith("invalid config: config.images[0]");
    StepResult none = set(Map.of("path", ".", "images", List.of(Map.of("image", "x"))));
    assertThat(none.status()).isEqualTo(StepStatus.FAILED);
  }
}
