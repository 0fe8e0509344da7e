package io.promokit.examples;

import io.promokit.documents.DocumentSet;
import io.promokit.PromotionContext;
import io.promokit.documents.PromotionDocuments;
import io.promokit.PromotionEngine;
import io.promokit.records.PromotionRecord;
import io.promokit.PromotionSequence;
import io.promokit.StepRegistry;
import io.promokit.Timekeeper;
import io.promokit.event.Slf4jPromotionListener;
import io.promokit.spi.ContainerRuntime;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine inside a long-running service (docs/embedding.md quotes it): one engine for the service's life,
 * promotions that wait for a human stored as JSON records and resumed by a scheduler when due, logs through SLF4J,
 * leftovers of a crashed instance reaped at start, everything released on close. The "database" is a map here.
 */
public final class PromotionService implements AutoCloseable {

  // --8<-- [start:engine]
  private final PromotionEngine engine;
  private final DocumentSet release;
  private final ApprovalGate approvals = new ApprovalGate();
  private final Map<String, String> records = new ConcurrentHashMap<>(); // the host's database: name -> record JSON

  /**
   * Starts the service: one engine for its whole life.
   *
   * @param engineId stable across restarts of this instance, so its leftovers can be found
   */
  public PromotionService(String engineId, ContainerRuntime containers, Timekeeper time, Path workdirRoot) {
    // Containers a crashed earlier run of this instance left behind carry its engine id: remove them first.
    containers.reap(engineId);
    this.release = PromotionDocuments.loadResource(PromotionService.class, "release.yaml");
    StepRegistry.Builder registry = StepRegistry.builder().withBuiltins()
        .register("await-approval", approvals);   // a host step: Running until someone approves
    release.customSteps().forEach(registry::register);
    this.engine = PromotionEngine.builder()
        .engineId(engineId)
        .registry(registry.build())
        .containerRuntime(containers)
        .listener(Slf4jPromotionListener.create())   // step and container lines into the service's log
        .timekeeper(time)                            // Timekeeper.system() in production; a ManualClock in tests
        .workdirRoot(workdirRoot)
        .closeOnClose(containers)                    // closed after the last promotion ended
        .build();
  }
  // --8<-- [end:engine]

  // --8<-- [start:promote]
  /** Starts a promotion and returns when it ends or waits; a waiting one is stored for {@link #resumeDue}. */
  public PromotionRecord promote(String promotion, String stage) {
    return store(sequence(promotion, stage).runUntilWaiting());
  }

  /**
   * What the host's scheduler calls every minute: resumes each stored promotion that is due, on the calling thread,
   * until it ends or waits again. Any instance with the same steps can do it: the record holds all the state.
   */
  public List<PromotionRecord> resumeDue(Instant now) {
    List<PromotionRecord> resumed = new ArrayList<>();
    for (String json : List.copyOf(records.values())) {
      PromotionRecord waiting = PromotionRecord.fromJson(json);
      Optional<Instant> due = waiting.nextDueAt();
      if (due.isPresent() && !due.get().isAfter(now)) {
        String stage = waiting.context().get("stage").toString();
        resumed.add(store(sequence(waiting.promotion(), stage).resumeUntilWaiting(waiting)));
      }
    }
    return resumed;
  }

  private PromotionSequence sequence(String promotion, String stage) {
    return engine.sequence(release.singleTemplate())
        .context(PromotionContext.builder().project("shop").stage(stage).promotion(promotion).build())
        .build();
  }

  private PromotionRecord store(PromotionRecord record) {
    if (record.isTerminal()) {
      records.remove(record.promotion());  // a real host keeps it for its audit trail
    } else {
      records.put(record.promotion(), record.toJson());
    }
    return record;
  }
  // --8<-- [end:promote]

  /** A human approved the promotion; the next {@link #resumeDue} after its due time lets it finish. */
  public void approve(String promotion, String approver) {
    approvals.approve(promotion, approver);
  }

  /** The promotions waiting in the store. */
  public List<String> waiting() {
    return records.keySet().stream().sorted().toList();
  }

  // --8<-- [start:close]
  /** Aborts what still runs (records come back Aborted), then closes the engine's executor and the runtime. */
  @Override
  public void close() {
    engine.close();
  }
  // --8<-- [end:close]
}
