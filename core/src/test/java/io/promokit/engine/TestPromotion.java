package io.promokit.engine;

import io.promokit.BackoffPolicy;
import io.promokit.PromotionContext;
import io.promokit.PromotionEngine;
import io.promokit.documents.PromotionPlan;
import io.promokit.PromotionSequence;
import io.promokit.StepRegistry;
import io.promokit.event.PromotionListener;
import io.promokit.expressions.SecretSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An engine and one prepared promotion of a plan, set up in one chain as the executor's tests need them. Every
 * engine it builds is closed by the test's {@link Engines}.
 */
final class TestPromotion {

  /** The engines a test built; closed after it. */
  static final class Engines implements AutoCloseable {
    private final List<PromotionEngine> built = new ArrayList<>();

    TestPromotion promotion(PromotionPlan plan) {
      return new TestPromotion(this, plan);
    }

    PromotionEngine track(PromotionEngine engine) {
      built.add(engine);
      return engine;
    }

    @Override
    public void close() {
      built.forEach(PromotionEngine::close);
      built.clear();
    }
  }

  private final Engines engines;
  private final PromotionPlan plan;
  private StepRegistry registry;
  private BackoffPolicy backoff;
  private SecretSource secrets;
  private PromotionContext context;
  private final List<PromotionListener> listeners = new ArrayList<>();
  private Path workdir;
  private boolean keepWorkdir;

  private TestPromotion(Engines engines, PromotionPlan plan) {
    this.engines = engines;
    this.plan = plan;
  }

  TestPromotion registry(StepRegistry registry) {
    this.registry = registry;
    return this;
  }

  TestPromotion backoff(BackoffPolicy backoff) {
    this.backoff = backoff;
    return this;
  }

  TestPromotion secrets(SecretSource secrets) {
    this.secrets = secrets;
    return this;
  }

  TestPromotion context(PromotionContext context) {
    this.context = context;
    return this;
  }

  TestPromotion listener(PromotionListener listener) {
    listeners.add(listener);
    return this;
  }

  TestPromotion workdir(Path workdir) {
    this.workdir = workdir;
    return this;
  }

  TestPromotion keepWorkdir(boolean keep) {
    this.keepWorkdir = keep;
    return this;
  }

  PromotionSequence build() {
    PromotionEngine.Builder engine = PromotionEngine.builder().registry(registry);
    if (backoff != null) {
      engine.backoff(backoff);
    }
    if (secrets != null) {
      engine.secrets(secrets);
    }
    PromotionSequence.Builder sequence = engines.track(engine.build()).sequence(plan).keepWorkdir(keepWorkdir);
    listeners.forEach(sequence::listener);
    if (context != null) {
      sequence.context(context);
    }
    if (workdir != null) {
      sequence.workdir(workdir);
    }
    return sequence.build();
  }
}
