package io.promokit.reap;

import io.promokit.PromotionContext;
import io.promokit.PromotionEngine;
import io.promokit.StepRegistry;
import io.promokit.documents.PromotionDocuments;
import io.promokit.event.LogLine;
import io.promokit.event.PromotionListener;
import io.promokit.runtime.LocalProcessRuntime;
import java.nio.file.Path;

/**
 * A host JVM running the library, for {@link HostCrashReapTest} to kill: args are the local runtime's state folder
 * and the workdir ledger. It prints {@code engine <id>} and the step's output lines, then runs a step that waits.
 */
public final class CrashingHost {
  private CrashingHost() {}

  public static void main(String[] args) {
    StepRegistry registry = StepRegistry.builder().registerAll(PromotionDocuments.parse("""
        apiVersion: promokit.io/v1
        kind: CustomPromotionStep
        metadata:
          name: hang
        spec:
          image: none
          command: ["sh", "-c", "sleep 600 & echo started; wait"]
        """, "steps.yaml").customSteps()).build();
    PromotionEngine engine = PromotionEngine.builder()
        .registry(registry)
        .containerRuntime(LocalProcessRuntime.create(Path.of(args[0])))
        .workdirLedger(Path.of(args[1]))
        .build();
    System.out.println("engine " + engine.engineId());
    System.out.flush();
    engine.sequence(PromotionDocuments.parse("steps:\n  - as: hang\n    uses: hang\n", "t.yaml").singleTemplate())
        .context(PromotionContext.builder().promotion("crash-1").build())
        .listener(new PromotionListener() {
          @Override
          public void logLine(LogLine line) {
            System.out.println(line.text());
            System.out.flush();
          }
        })
        .build()
        .run();
  }
}
