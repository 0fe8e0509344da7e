package io.promokit.event;

import io.promokit.StepStatus;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a promotion's step and container log lines, and its steps' outcomes, to the host's logs through SLF4J, as
 * Testcontainers' {@code Slf4jLogConsumer} does for containers. Every line carries the promotion's name and the step's
 * alias: {@code [promo-1/build] compiling...}.
 *
 * <ul>
 *   <li>a container's or process's stdout and a step's own lines: INFO; stderr: WARN;
 *   <li>a step that finished {@code Succeeded}, {@code Skipped}, or waits ({@code Running}): DEBUG; {@code Failed},
 *       {@code Errored} or {@code Aborted}: WARN, with its message (the engine logs what a step threw, with its
 *       stack trace, under {@code io.promokit.engine.steps});
 *   <li>a promotion's start and end: INFO.
 * </ul>
 *
 * <p>Lines arrive with secrets already masked. Stateless and thread-safe: one instance can serve every promotion of
 * an engine ({@code PromotionEngine.Builder.listener}).
 */
public final class Slf4jPromotionListener implements PromotionListener {

  /** The logger a listener made by {@link #create()} writes to. */
  public static final String DEFAULT_LOGGER = "io.promokit.promotion";

  private final Logger log;

  private Slf4jPromotionListener(Logger log) {
    this.log = log;
  }

  /** A listener writing to the logger {@value #DEFAULT_LOGGER}. */
  public static Slf4jPromotionListener create() {
    return named(DEFAULT_LOGGER);
  }

  /**
   * A listener writing to the logger of that name (a host may use one per stage, or its own class's name).
   *
   * @throws IllegalArgumentException when the name is blank
   */
  public static Slf4jPromotionListener named(String loggerName) {
    Objects.requireNonNull(loggerName, "loggerName must not be null");
    if (loggerName.isBlank()) {
      throw new IllegalArgumentException("loggerName must not be blank");
    }
    return new Slf4jPromotionListener(LoggerFactory.getLogger(loggerName));
  }

  @Override
  public void promotionStarted(PromotionStarted event) {
    log.info("[{}] promotion {} ({} steps)", event.promotion(), event.resumed() ? "resumed" : "started",
        event.aliases().size());
  }

  @Override
  public void stepStarted(StepStarted event) {
    log.debug("[{}/{}] {} attempt {} started", event.promotion(), event.alias(), event.uses(), event.attempt());
  }

  @Override
  public void stepFinished(StepFinished event) {
    StepStatus status = event.status();
    boolean bad = status == StepStatus.FAILED || status == StepStatus.ERRORED || status == StepStatus.ABORTED;
    String text = event.message().isEmpty() ? "" : ": " + event.message();
    if (bad) {
      log.warn("[{}/{}] {} {}{}", event.promotion(), event.alias(), event.uses(), status, text);
    } else {
      log.debug("[{}/{}] {} {}{}", event.promotion(), event.alias(), event.uses(), status, text);
    }
  }

  @Override
  public void logLine(LogLine event) {
    if (event.stream() == LogStream.STDERR) {
      log.warn("[{}/{}] {}", event.promotion(), event.alias(), event.text());
    } else {
      log.info("[{}/{}] {}", event.promotion(), event.alias(), event.text());
    }
  }

  @Override
  public void promotionFinished(PromotionFinished event) {
    String message = event.record().message();
    log.info("[{}] promotion {}{}", event.record().promotion(), event.record().phase(),
        message.isEmpty() ? "" : ": " + message);
  }

  @Override
  public String toString() {
    return "Slf4jPromotionListener[" + log.getName() + "]";
  }
}
