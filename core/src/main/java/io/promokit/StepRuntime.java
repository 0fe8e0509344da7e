package io.promokit;

/**
 * A step that runs in the host's JVM: what a host implements to add its own step (a change ticket, a
 * policy call). Register it with {@link StepRegistry.Builder#register(String, StepRuntime, StepOptions)}.
 *
 * <p>One instance serves every promotion and may be called from several threads at once. It should
 * honour cancellation ({@link StepContext#isCancelled()}, thread interruption) and the deadline.
 *
 * <pre>{@code
 * StepRuntime ticket = ctx -> {
 *   TicketConfig cfg = ctx.config(TicketConfig.class);
 *   String id = changeApi.open(cfg.summary());
 *   return StepResult.succeeded(Map.of("ticket", id));
 * };
 * }</pre>
 */
@FunctionalInterface
public interface StepRuntime {

  /**
   * Runs one attempt of the step.
   *
   * @return {@link StepResult#succeeded}, {@link StepResult#failed} (a business failure, final) or
   *     {@link StepResult#running} (call me again later)
   * @throws StepException for a technical error (retryable unless terminal); any other exception is a
   *     retryable error too, and {@link InterruptedException} means the attempt was cancelled
   */
  StepResult execute(StepContext context) throws Exception;
}
