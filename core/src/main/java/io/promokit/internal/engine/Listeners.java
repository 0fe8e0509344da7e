package io.promokit.internal.engine;

import io.promokit.event.LogLine;
import io.promokit.event.PromotionFinished;
import io.promokit.event.PromotionListener;
import io.promokit.event.PromotionStarted;
import io.promokit.event.StepFinished;
import io.promokit.event.StepStarted;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls a run's listeners one event at a time, in order; a listener's exception never stops the run. */
final class Listeners {
  private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

  private final List<PromotionListener> listeners;

  Listeners(List<PromotionListener> listeners) {
    this.listeners = listeners;
  }

  void promotionStarted(PromotionStarted e) {
    each(l -> l.promotionStarted(e));
  }

  void stepStarted(StepStarted e) {
    each(l -> l.stepStarted(e));
  }

  void stepFinished(StepFinished e) {
    each(l -> l.stepFinished(e));
  }

  void logLine(LogLine e) {
    each(l -> l.logLine(e));
  }

  void promotionFinished(PromotionFinished e) {
    each(l -> l.promotionFinished(e));
  }

  private synchronized void each(Consumer<PromotionListener> call) {
    for (PromotionListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        LOG.warn("promotion listener {} failed; ignoring it for this event", listener, e);
      }
    }
  }
}
