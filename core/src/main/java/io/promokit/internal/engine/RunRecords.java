package io.promokit.internal.engine;

import io.promokit.PromotionContext;
import io.promokit.PromotionPhase;
import io.promokit.StepStatus;
import io.promokit.expressions.SecretMasker;
import io.promokit.internal.JsonValues;
import io.promokit.records.PromotionRecord;
import io.promokit.records.StepRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a run's {@link PromotionRecord} from its step states and outputs, every secret masked, and decides the
 * final phase (SEMANTICS.md section 3). The JSON form is {@link io.promokit.internal.RecordJson}'s; reading a
 * record back into a run is {@link RunResume}'s.
 */
final class RunRecords {

  /** A terminal record's phase and message. */
  record Verdict(PromotionPhase phase, String message) {}

  private final String engineId;
  private final PromotionContext context;
  private final SecretMasker masker;
  private final StepStates steps;
  private final OutputStore outputs;
  private final RecordedMetadata metadata;

  RunRecords(String engineId, PromotionContext context, SecretMasker masker, StepStates steps, OutputStore outputs,
      RecordedMetadata metadata) {
    this.engineId = engineId;
    this.context = context;
    this.masker = masker;
    this.steps = steps;
    this.outputs = outputs;
    this.metadata = metadata;
  }

  /**
   * The phase of an ended run (SEMANTICS.md section 3). When an abort was requested and took effect (it stopped
   * a step, kept one from starting, or a clean-up step started under it) the run is {@code Aborted}: with the
   * message of the step it stopped, or, when it came between steps or before the first, naming the first step
   * it affected. Otherwise the worst status over steps without {@code continueOnError} decides, with the message
   * of the first step that has it.
   */
  Verdict verdict(boolean abortRequested) {
    if (abortRequested) {
      StepState aborted = steps.firstWith(StepStatus.ABORTED);
      if (aborted != null) {
        return new Verdict(PromotionPhase.ABORTED, aborted.message);
      }
      for (StepState s : steps.inOrder()) {
        if (s.skippedByAbort || s.cleanup) {
          return new Verdict(PromotionPhase.ABORTED, StepMessages.abortedBefore(s));
        }
      }
    }
    StepState worst = null;
    for (StepState s : steps.inOrder()) {
      if (s.step.continueOnError() || !s.status.isFinal()) {
        continue;
      }
      if (worst == null || s.status.severity() > worst.status.severity()) {
        worst = s;
      }
    }
    if (worst == null) {
      return new Verdict(PromotionPhase.SUCCEEDED, "");
    }
    return switch (worst.status) {
      case ABORTED -> new Verdict(PromotionPhase.ABORTED, worst.message);
      case FAILED -> new Verdict(PromotionPhase.FAILED, worst.message);
      case ERRORED -> new Verdict(PromotionPhase.ERRORED, worst.message);
      default -> new Verdict(PromotionPhase.SUCCEEDED, "");
    };
  }

  /**
   * The record as things stand.
   *
   * @param finishedAt null while the promotion is not terminal
   * @param vars the global vars as evaluated at the start
   */
  PromotionRecord record(PromotionPhase phase, String message, Instant startedAt, Instant finishedAt,
      Map<String, Object> vars, Path workdir) {
    List<StepRecord> records = new ArrayList<>(steps.inOrder().size());
    for (StepState s : steps.inOrder()) {
      records.add(stepRecord(s));
    }
    return PromotionRecord.builder()
        .promotion(context.promotion())
        .phase(phase)
        .message(masker.mask(message))
        .startedAt(startedAt)
        .finishedAt(finishedAt)
        .context(JsonValues.mapForRecord(context.toRecordMap(), masker))
        .vars(JsonValues.mapForRecord(vars, masker))
        .steps(records)
        .outputs(JsonValues.mapForRecord(outputs.view(), masker))
        .workdir(workdir.toString())
        .engineId(engineId)
        .metadata(JsonValues.mapForRecord(metadata.snapshot(), masker))
        .build();
  }

  private StepRecord stepRecord(StepState s) {
    Long duration = s.startedAt == null || s.finishedAt == null ? null
        : Duration.between(s.startedAt, s.finishedAt).toMillis();
    return StepRecord.builder()
        .alias(s.alias())
        .uses(s.step.uses())
        .task(s.step.taskName())
        .status(s.status)
        .attempts(s.attempts)
        .message(masker.mask(s.message))
        .startedAt(s.startedAt)
        .finishedAt(s.finishedAt)
        .durationMs(duration)
        .config(JsonValues.mapForRecord(s.config, masker))
        .outputs(JsonValues.mapForRecord(s.outputs, masker))
        .container(s.container)
        .continueOnError(s.step.continueOnError())
        .consecutiveErrors(s.consecutiveErrors)
        .nextAttemptAt(s.nextAttemptAt)
        .previousOutputs(s.previousOutputs.equals(s.outputs) ? null : JsonValues.mapForRecord(s.previousOutputs, masker))
        .build();
  }
}
