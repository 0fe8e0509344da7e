package io.promokit.cli;

import io.promokit.records.PromotionRecord;
import io.promokit.StepStatus;
import io.promokit.event.LogLine;
import io.promokit.event.PromotionFinished;
import io.promokit.event.PromotionListener;
import io.promokit.event.PromotionStarted;
import io.promokit.event.StepFinished;
import io.promokit.event.StepStarted;
import io.promokit.expressions.GoDuration;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * The progress lines of {@code promokit run} (CLI.md): the engine's id when the promotion starts, one line when
 * each step starts and one when it ends (alias, step name, status, attempt, duration), a step's output lines
 * prefixed with its alias, and a final line with the phase and the total time.
 */
final class ProgressPrinter implements PromotionListener {
  private final PrintWriter err;
  private final String engineId;

  ProgressPrinter(PrintWriter err, String engineId) {
    this.err = err;
    this.engineId = engineId;
  }

  @Override
  public void promotionStarted(PromotionStarted e) {
    err.printf("[engine] %s runs promotion %s%n", engineId, e.promotion());
    err.flush();
  }

  @Override
  public void stepStarted(StepStarted e) {
    err.printf("[start] %s (%s) attempt %d%n", e.alias(), e.uses(), e.attempt());
    err.flush();
  }

  @Override
  public void logLine(LogLine e) {
    err.printf("  %s | %s%n", e.alias(), e.text());
    err.flush();
  }

  @Override
  public void stepFinished(StepFinished e) {
    String tag = e.status() == StepStatus.SKIPPED ? "[skip] " : e.done() ? "[end]  " : "[wait] ";
    StringBuilder line = new StringBuilder(tag).append(e.alias()).append(" (").append(e.uses()).append(") ")
        .append(e.status().word());
    if (e.attempt() > 0) {
      line.append(" attempt ").append(e.attempt()).append(" in ").append(seconds(e.duration()));
    }
    if (!e.message().isEmpty()) {
      line.append(": ").append(firstLine(e.message()));
    }
    err.println(line);
    err.flush();
  }

  @Override
  public void promotionFinished(PromotionFinished e) {
    PromotionRecord r = e.record();
    Duration total = r.finishedAt() == null ? Duration.ZERO : Duration.between(r.startedAt(), r.finishedAt());
    err.printf("promotion %s %s in %s%s%n", r.promotion(), r.phase().word(), seconds(total),
        r.message().isEmpty() ? "" : ": " + firstLine(r.message()));
    err.flush();
  }

  private static String seconds(Duration d) {
    return GoDuration.format(Duration.ofMillis(d.toMillis()));
  }

  private static String firstLine(String message) {
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl) + " ...";
  }
}
