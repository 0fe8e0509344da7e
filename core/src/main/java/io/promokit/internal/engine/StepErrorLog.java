package io.promokit.internal.engine;

import io.promokit.PromotionException;
import io.promokit.StepException;
import io.promokit.event.StepError;
import io.promokit.expressions.ExpressionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what a step threw, with its stack trace (secrets masked): at WARN when it was unexpected (a bug in the
 * step, a failed library call), at DEBUG when the step reported a failure it understood: a {@link StepException},
 * or another of promokit's own exceptions ({@link PromotionException}: a container runtime's, an invalid config's)
 * or an {@link ExpressionException}, whose message already explains it and is in the record.
 */
final class StepErrorLog {
  /** The logger's name, documented in docs/embedding.md. */
  static final String LOGGER = "io.promokit.engine.steps";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  /**
   * @param original what the step threw, to tell expected from unexpected
   * @param masked its masked copy, which is what is logged
   */
  void log(String promotion, String alias, int attempt, Throwable original, StepError masked) {
    if (original instanceof PromotionException || original instanceof ExpressionException) {
      LOG.debug("promotion \"{}\": step \"{}\" attempt {} failed", promotion, alias, attempt, masked);
    } else {
      LOG.warn("promotion \"{}\": step \"{}\" attempt {} threw an unexpected exception", promotion, alias, attempt,
          masked);
    }
  }
}
