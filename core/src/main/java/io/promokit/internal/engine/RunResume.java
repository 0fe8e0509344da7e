package io.promokit.internal.engine;

import io.promokit.PromotionException;
import io.promokit.records.PromotionRecord;
import io.promokit.records.StepRecord;
import io.promokit.StepStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes a run back to where a record of a waiting promotion left it (SEMANTICS.md section 8): every step's
 * status, attempts, times, config, outputs and previous outputs, the composed task outputs, the start time and
 * vars, and the working directory. Refuses a record that has ended or belongs to another promotion or plan.
 */
final class RunResume {

  /** What the run continues with, besides the step states and outputs. */
  record Restored(Instant startedAt, Map<String, Object> vars, Workdir workdir) {}

  private RunResume() {}

  /**
   * Restores the states and outputs from the record.
   *
   * @throws PromotionException when the record cannot be continued by this prepared promotion
   */
  static Restored restore(PromotionRecord record, PromotionSettings promotion, StepStates steps, OutputStore outputs) {
    if (record.isTerminal()) {
      throw new PromotionException("promotion \"" + record.promotion() + "\" has ended (" + record.phase()
          + "); only a promotion that is still running can be resumed");
    }
    String name = promotion.context().promotion();
    if (!record.promotion().equals(name)) {
      throw new PromotionException("the record is of promotion \"" + record.promotion()
          + "\", but this sequence runs \"" + name + "\"");
    }
    List<String> planned = steps.aliases();
    List<String> recorded = record.steps().stream().map(StepRecord::alias).toList();
    if (!planned.equals(recorded)) {
      throw new PromotionException("the record does not match the template: it has steps " + recorded
          + ", the template has " + planned);
    }
    for (StepRecord r : record.steps()) {
      restoreStep(r, steps.get(r.alias()), steps, outputs);
    }
    // compose-output merges into task aliases are in the record's outputs too.
    record.outputs().forEach((alias, value) -> {
      if (steps.get(alias) == null && value instanceof Map<?, ?> map) {
        outputs.restoreComposed(alias, map);
      }
    });
    return new Restored(record.startedAt(), record.vars(), workdirOf(record, promotion));
  }

  private static void restoreStep(StepRecord r, StepState s, StepStates steps, OutputStore outputs) {
    if (!s.step.uses().equals(r.uses())) {
      throw new PromotionException("the record does not match the template: step \"" + r.alias() + "\" uses \""
          + r.uses() + "\" in the record but \"" + s.step.uses() + "\" in the template");
    }
    s.status = r.status();
    s.attempts = r.attempts();
    s.consecutiveErrors = r.consecutiveErrors();
    s.startedAt = r.startedAt();
    s.finishedAt = r.finishedAt();
    s.nextAttemptAt = r.nextAttemptAt();
    s.message = r.message();
    s.config = r.config();
    s.container = r.container();
    steps.noteStatus(s);
    if (s.status != StepStatus.PENDING && s.status != StepStatus.SKIPPED) {
      outputs.set(s, r.outputs(), s.status == StepStatus.SUCCEEDED);
      if (r.previousOutputs() != null) {
        s.previousOutputs = Collections.unmodifiableMap(new LinkedHashMap<>(r.previousOutputs()));
      }
    }
  }

  /** The host's directory when it gave one, else the record's, which must still exist. */
  private static Workdir workdirOf(PromotionRecord record, PromotionSettings promotion) {
    Path dir = promotion.workdir() != null ? promotion.workdir()
        : record.workdir() != null ? Path.of(record.workdir()) : null;
    if (dir == null) {
      throw new PromotionException("the record of \"" + record.promotion() + "\" names no working directory to resume in");
    }
    return Workdir.resume(dir, promotion.workdir() != null || promotion.keepWorkdir());
  }
}
