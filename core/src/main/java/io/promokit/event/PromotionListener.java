package io.promokit.event;

/**
 * Follows a promotion as it runs. Every method has a no-op default; implement what you need. For one
 * promotion, calls are made one at a time and in order (never concurrently), from the engine's threads;
 * keep them quick. An exception thrown by a listener is logged and otherwise ignored.
 */
public interface PromotionListener {

  /** A listener that does nothing. */
  PromotionListener NONE = new PromotionListener() {};

  default void promotionStarted(PromotionStarted event) {}

  /** An attempt of a step starts (after its {@code if} said run). */
  default void stepStarted(StepStarted event) {}

  /** An attempt of a step ended, or a step was skipped without running. */
  default void stepFinished(StepFinished event) {}

  /** A step or its container wrote a line (secrets already masked). */
  default void logLine(LogLine event) {}

  /** The promotion ended, or (in non-blocking mode) stopped to wait for a running step. */
  default void promotionFinished(PromotionFinished event) {}
}
