package io.promokit.runtime.k8s;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.promokit.spi.ContainerExit;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a step Pod's status says, as far as the runtime cares. */
sealed interface PodState {

  /** Nothing wrong yet: scheduling, pulling, creating. */
  record Waiting(String reason) implements PodState {}

  /** The scheduler found no node; its message says why. */
  record Unschedulable(String message) implements PodState {}

  /** An image cannot be pulled (yet). {@code helper} when it is the init container's image. */
  record PullTrouble(String image, boolean helper, String reason, String message) implements PodState {}

  /** A container cannot be created or started as specified: trying again will not help. */
  record ContainerError(boolean helper, String reason, String message) implements PodState {}

  /** The init container ended with a non-zero code. */
  record InitFailed(int exitCode, String reason, String message) implements PodState {}

  /** The step container runs. */
  record Running() implements PodState {}

  /** The step container ended. */
  record Terminated(ContainerExit exit) implements PodState {}

  /** The Pod failed without the step container ending: evicted, node lost, state unknown. */
  record PodFailed(String reason, String message) implements PodState {}

  /** Reads a Pod's status. */
  static PodState of(Pod pod) {
    PodStatus status = pod.getStatus();
    if (status == null) {
      return new Waiting("Pending");
    }
    if ("Failed".equals(status.getPhase()) && status.getReason() != null) {
      // evicted, node lost, deadline exceeded: the Pod's own reason, whatever its containers show
      return new PodFailed(status.getReason(), status.getMessage());
    }
    Optional<ContainerStatus> step = find(status.getContainerStatuses(), PodLayout.STEP_CONTAINER);
    Optional<ContainerStateTerminated> stepEnded = step.map(ContainerStatus::getState).map(ContainerState::getTerminated);
    if (stepEnded.isPresent()) {
      ContainerStateTerminated t = stepEnded.get();
      if ("ContainerStatusUnknown".equals(t.getReason())) {
        return new PodFailed(t.getReason(), t.getMessage());
      }
      return new Terminated(exit(pod, t));
    }
    Optional<ContainerStatus> init = find(status.getInitContainerStatuses(), PodLayout.INIT_CONTAINER);
    Optional<ContainerStateTerminated> initEnded = init.map(ContainerStatus::getState).map(ContainerState::getTerminated);
    if (initEnded.isPresent() && initEnded.get().getExitCode() != null && initEnded.get().getExitCode() != 0) {
      ContainerStateTerminated t = initEnded.get();
      return new InitFailed(t.getExitCode(), t.getReason(), t.getMessage());
    }
    Optional<PodState> initWaiting = init.flatMap(s -> waiting(s, true));
    if (initWaiting.isPresent()) {
      return initWaiting.get();
    }
    Optional<PodState> stepWaiting = step.flatMap(s -> waiting(s, false));
    if (stepWaiting.isPresent()) {
      return stepWaiting.get();
    }
    if (step.map(ContainerStatus::getState).map(ContainerState::getRunning).isPresent()) {
      return new Running();
    }
    if ("Failed".equals(status.getPhase()) || "Succeeded".equals(status.getPhase())) {
      return new PodFailed(status.getReason() == null ? status.getPhase() : status.getReason(), status.getMessage());
    }
    Optional<PodCondition> unschedulable = conditions(status).stream()
        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
            && "Unschedulable".equals(c.getReason()))
        .findFirst();
    if (unschedulable.isPresent()) {
      return new Unschedulable(unschedulable.get().getMessage());
    }
    String reason = step.map(ContainerStatus::getState).map(ContainerState::getWaiting)
        .map(ContainerStateWaiting::getReason).orElse(status.getPhase() == null ? "Pending" : status.getPhase());
    return new Waiting(reason);
  }

  private static Optional<PodState> waiting(ContainerStatus s, boolean helper) {
    ContainerStateWaiting w = s.getState() == null ? null : s.getState().getWaiting();
    if (w == null || w.getReason() == null) {
      return Optional.empty();
    }
    String reason = w.getReason();
    String message = w.getMessage() == null ? "" : w.getMessage();
    return switch (reason) {
      case "ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "RegistryUnavailable", "ErrImageInspect" ->
          Optional.of(new PullTrouble(s.getImage(), helper, reason, message));
      case "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError",
          "PreCreateHookError", "PreStartHookError" -> Optional.of(new ContainerError(helper, reason, message));
      default -> Optional.empty();
    };
  }

  private static ContainerExit exit(Pod pod, ContainerStateTerminated t) {
    int code = t.getExitCode() == null ? -1 : t.getExitCode();
    boolean oom = "OOMKilled".equals(t.getReason());
    Map<String, Duration> phases = new LinkedHashMap<>();
    Optional<Instant> created = instant(pod.getMetadata().getCreationTimestamp());
    Optional<Instant> started = instant(t.getStartedAt());
    Optional<Instant> finished = instant(t.getFinishedAt());
    if (created.isPresent() && started.isPresent() && !started.get().isBefore(created.get())) {
      phases.put("start", Duration.between(created.get(), started.get()));
    }
    if (started.isPresent() && finished.isPresent() && !finished.get().isBefore(started.get())) {
      phases.put("run", Duration.between(started.get(), finished.get()));
    }
    return new ContainerExit(code, oom, t.getReason(), phases);
  }

  private static Optional<Instant> instant(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<ContainerStatus> find(List<ContainerStatus> statuses, String name) {
    return statuses == null ? Optional.empty()
        : statuses.stream().filter(s -> name.equals(s.getName())).findFirst();
  }

  private static List<PodCondition> conditions(PodStatus status) {
    return status.getConditions() == null ? List.of() : status.getConditions();
  }
}
