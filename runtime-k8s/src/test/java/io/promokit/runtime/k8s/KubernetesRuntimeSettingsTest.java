package io.promokit.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubernetesRuntimeSettingsTest {

  @Test
  void defaultsNeedNothingButAreComplete() {
    KubernetesRuntimeSettings s = KubernetesRuntimeSettings.defaults();
    assertThat(s.namespace()).isEmpty();
    assertThat(s.workdirClaim()).isEmpty();
    assertThat(s.helperImage()).isEqualTo("busybox:1.36.1-musl");
    assertThat(s.helperBinary()).isEqualTo("/bin/busybox");
    assertThat(s.imagePullGracePeriod()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.schedulingGracePeriod()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.apiAttempts()).isEqualTo(5);
    assertThat(s.outputCaptureLimit()).isEqualTo(16 * 1024 * 1024);
    assertThat(s.fsGroupChangePolicy()).isEqualTo(KubernetesRuntimeSettings.FsGroupChangePolicy.ALWAYS);
  }

  @Test
  void badValuesAreRejectedWithTheReason() {
    KubernetesRuntimeSettings.Builder b = KubernetesRuntimeSettings.builder();
    assertThatThrownBy(() -> b.namespace("Promotions"))
        .hasMessage("namespace must be a DNS-1123 label (at most 63 lower-case letters, digits and dashes), "
            + "but was \"Promotions\"");
    assertThatThrownBy(() -> b.workdirClaim("my_claim"))
        .hasMessage("workdir claim must be a DNS-1123 subdomain (lower-case letters, digits, dashes and dots), "
            + "but was \"my_claim\"");
    assertThatThrownBy(() -> b.workdirClaim("claim", Path.of("relative/dir")))
        .hasMessage("workdir host root must be an absolute path, but was relative/dir");
    assertThatThrownBy(() -> b.helperImage("busy box"))
        .hasMessage("helper image must be an image reference without spaces, but was \"busy box\"");
    assertThatThrownBy(() -> b.helperBinary("busybox"))
        .hasMessage("helper binary must be an absolute file path without spaces, but was \"busybox\"");
    assertThatThrownBy(() -> b.imagePullGracePeriod(Duration.ofSeconds(-1)))
        .hasMessage("image pull grace period must not be negative, but was PT-1S");
    assertThatThrownBy(() -> b.deletionTimeout(Duration.ZERO))
        .hasMessage("deletion timeout must be positive, but was PT0S");
    assertThatThrownBy(() -> b.apiAttempts(0)).hasMessage("API attempts must be at least 1, but was 0");
    assertThatThrownBy(() -> b.outputCaptureLimit(1000))
        .hasMessage("output capture limit must be between 262144 and 16777216 bytes, but was 1000");
    assertThatThrownBy(() -> b.fsGroup(-1)).hasMessage("fsGroup must not be negative, but was -1");
    assertThatThrownBy(() -> b.serviceAccountName("Bad Name"))
        .hasMessage("service account name must be a DNS-1123 subdomain (lower-case letters, digits, dashes and "
            + "dots), but was \"Bad Name\"");
    assertThatThrownBy(() -> b.podLabels(Map.of("promokit.io/step", "x")))
        .hasMessage("pod labels must not set promokit's own label \"promokit.io/step\"");
  }

  @Test
  void podTemplateMaySetOnlyWhatPromokitDoesNotBuild() {
    PodTemplateSpec template = Serialization.unmarshal("""
        metadata:
          annotations: {team: platform}
        spec:
          nodeSelector: {pool: steps}
          serviceAccountName: steps
          restartPolicy: Always
          containers:
          - name: sidecar
            image: envoy
        """, PodTemplateSpec.class);
    assertThatThrownBy(() -> KubernetesRuntimeSettings.builder().podTemplate(template))
        .hasMessage("pod template may only set metadata.labels, metadata.annotations, spec.nodeSelector, "
            + "spec.tolerations, spec.affinity, spec.serviceAccountName and spec.priorityClassName, but sets "
            + "spec.containers, spec.restartPolicy");
  }

  @Test
  void podTemplateFillsTheSettings() {
    PodTemplateSpec template = Serialization.unmarshal("""
        metadata:
          annotations: {team: platform}
          labels: {cost-center: "42"}
        spec:
          nodeSelector: {pool: steps}
          serviceAccountName: steps
          priorityClassName: batch
          tolerations:
          - {key: dedicated, operator: Equal, value: steps, effect: NoSchedule}
        """, PodTemplateSpec.class);
    KubernetesRuntimeSettings s = KubernetesRuntimeSettings.builder().podTemplate(template).build();
    assertThat(s.podAnnotations()).containsExactly(Map.entry("team", "platform"));
    assertThat(s.podLabels()).containsExactly(Map.entry("cost-center", "42"));
    assertThat(s.nodeSelector()).containsExactly(Map.entry("pool", "steps"));
    assertThat(s.serviceAccountName()).contains("steps");
    assertThat(s.priorityClassName()).contains("batch");
    assertThat(s.tolerations()).singleElement().satisfies(t -> assertThat(t.getValue()).isEqualTo("steps"));
  }

  @Test
  void settingsKeepTheirOwnCopies() {
    List<Toleration> tolerations = new ArrayList<>(List.of(new TolerationBuilder().withKey("a").build()));
    KubernetesRuntimeSettings s = KubernetesRuntimeSettings.builder().tolerations(tolerations).build();
    tolerations.get(0).setKey("changed");
    s.tolerations().get(0).setKey("changed too");
    assertThat(s.tolerations().get(0).getKey()).isEqualTo("a");
  }

  @Test
  void aClaimWithAHostRootGivesPerPromotionSubPaths() {
    KubernetesRuntimeSettings s = KubernetesRuntimeSettings.builder()
        .workdirClaim("work", Path.of("/mnt/work/../work")).build();
    assertThat(s.workdirClaim()).contains("work");
    assertThat(s.workdirHostRoot()).contains(Path.of("/mnt/work"));
  }
}
