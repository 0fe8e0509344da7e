package io.promokit;

import io.promokit.records.PromotionRecord;
import java.util.concurrent.CompletableFuture;

/**
 * A promotion running on another thread, from {@link PromotionSequence#start()}. Abort it from any
 * thread; its record arrives through {@link #result()}.
 */
public interface PromotionExecution {

  /** The promotion's name. */
  String promotion();

  /**
   * Stops now: the running step is cancelled (interrupted; a container is stopped) and marked
   * {@code Aborted}, later steps are skipped, and the promotion ends {@code Aborted}.
   */
  void abort();

  /**
   * Stops gracefully: like {@link #abort()}, but later steps whose {@code if} calls {@code always()} or
   * {@code failure()} still run, each within its own timeout, so clean-up steps run. During a graceful
   * abort {@code failure()} is true.
   */
  void abortGracefully();

  /** Completes with the record when the promotion is terminal (or waiting, in non-blocking mode). */
  CompletableFuture<PromotionRecord> result();

  /** Waits for the record. */
  default PromotionRecord await() {
    return result().join();
  }
}
