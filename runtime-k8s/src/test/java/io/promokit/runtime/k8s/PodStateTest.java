package io.promokit.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PodStateTest {

  private static ContainerStatus waiting(String name, String reason, String message) {
    return new ContainerStatusBuilder().withName(name).withImage("img")
        .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().build();
  }

  private static ContainerStatus terminated(String name, int code, String reason) {
    return new ContainerStatusBuilder().withName(name).withImage("img")
        .withNewState().withNewTerminated().withExitCode(code).withReason(reason)
        .withStartedAt("2024-05-01T10:00:05Z").withFinishedAt("2024-05-01T10:00:12Z").endTerminated().endState()
        .build();
  }

  private static Pod pod(PodStatusBuilder status) {
    return new PodBuilder().withNewMetadata().withName("p").withCreationTimestamp("2024-05-01T10:00:00Z")
        .endMetadata().withStatus(status.build()).build();
  }

  @Test
  void aPodWithoutStatusIsWaiting() {
    assertThat(PodState.of(new PodBuilder().withNewMetadata().withName("p").endMetadata().build()))
        .isEqualTo(new PodState.Waiting("Pending"));
  }

  @Test
  void unschedulableCarriesTheSchedulersMessage() {
    Pod pod = pod(new PodStatusBuilder().withPhase("Pending").withConditions(new PodConditionBuilder()
        .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
        .withMessage("0/3 nodes are available: 3 Insufficient memory.").build()));
    assertThat(PodState.of(pod)).isEqualTo(new PodState.Unschedulable("0/3 nodes are available: 3 Insufficient memory."));
  }

  @Test
  void pullTroubleOfTheInitContainerIsTheHelpers() {
    Pod pod = pod(new PodStatusBuilder().withPhase("Pending")
        .withInitContainerStatuses(waiting("promokit-init", "ErrImagePull", "not found"))
        .withContainerStatuses(waiting("step", "PodInitializing", null)));
    assertThat(PodState.of(pod)).isEqualTo(new PodState.PullTrouble("img", true, "ErrImagePull", "not found"));
  }

  @Test
  void configErrorsOfTheStepContainerAreContainerErrors() {
    Pod pod = pod(new PodStatusBuilder().withPhase("Pending")
        .withContainerStatuses(waiting("step", "CreateContainerConfigError", "secret \"x\" not found")));
    assertThat(PodState.of(pod))
        .isEqualTo(new PodState.ContainerError(false, "CreateContainerConfigError", "secret \"x\" not found"));
  }

  @Test
  void theStepContainersEndGivesTheExitWithOomAndPhases() {
    Pod pod = pod(new PodStatusBuilder().withPhase("Failed")
        .withContainerStatuses(terminated("step", 137, "OOMKilled")));
    PodState.Terminated state = (PodState.Terminated) PodState.of(pod);
    assertThat(state.exit().exitCode()).isEqualTo(137);
    assertThat(state.exit().oomKilled()).isTrue();
    assertThat(state.exit().reason()).isEqualTo("OOMKilled");
    assertThat(state.exit().phases()).containsEntry("start", Duration.ofSeconds(5))
        .containsEntry("run", Duration.ofSeconds(7));
  }

  @Test
  void anEvictedPodFailedWhateverItsContainerShows() {
    Pod pod = pod(new PodStatusBuilder().withPhase("Failed").withReason("Evicted")
        .withMessage("The node was low on resource: memory.")
        .withContainerStatuses(terminated("step", 137, "Error")));
    assertThat(PodState.of(pod)).isEqualTo(new PodState.PodFailed("Evicted", "The node was low on resource: memory."));
  }

  @Test
  void aFailedInitContainerIsReported() {
    Pod pod = pod(new PodStatusBuilder().withPhase("Failed")
        .withInitContainerStatuses(terminated("promokit-init", 1, "Error")));
    assertThat(PodState.of(pod)).isEqualTo(new PodState.InitFailed(1, "Error", null));
  }

  @Test
  void aLostContainerIsAFailedPod() {
    Pod pod = pod(new PodStatusBuilder().withPhase("Failed")
        .withContainerStatuses(terminated("step", 137, "ContainerStatusUnknown")));
    assertThat(PodState.of(pod)).isInstanceOf(PodState.PodFailed.class);
  }
}
