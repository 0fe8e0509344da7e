package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.PromotionPhase;
import io.promokit.StepStatus;
import io.promokit.records.PromotionRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) aborts the running step, writes the record, and exits with 130 (CLI.md). */
class InterruptTest {

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void ctrlCAbortsCleansUpWritesTheRecordAndExitsWith130(@TempDir Path dir) throws Exception {
    Path template = Files.writeString(dir.resolve("t.yaml"), """
        steps:
          - uses: sleep
            as: long-wait
            config:
              duration: 10m
          - uses: compose-output
            as: after
            config: {x: 1}
        """);
    Path record = dir.resolve("record.json");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(defaultSigint());
    command.addAll(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "run", template.toString(), "--record", record.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      // Output is read on a thread of its own, so that every wait below is bounded even if the child hangs.
      StringBuffer output = new StringBuffer();
      CountDownLatch started = new CountDownLatch(1);
      Thread reader = new Thread(() -> {
        try (BufferedReader lines = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            output.append(line).append('\n');
            if (line.startsWith("[start] long-wait")) {
              started.countDown();
            }
          }
        } catch (IOException e) {
          output.append("(reading the output failed: ").append(e).append(")\n");
        }
      }, "interrupt-test-output");
      reader.setDaemon(true);
      reader.start();
      assertThat(started.await(60, TimeUnit.SECONDS)).as("the step started; output so far:\n%s", output).isTrue();

      Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();

      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the command ended after SIGINT; output:\n%s", output)
          .isTrue();
      reader.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(process.exitValue()).as(output.toString()).isEqualTo(130);
      PromotionRecord r = PromotionRecord.fromJson(Files.readString(record));
      assertThat(r.phase()).isEqualTo(PromotionPhase.ABORTED);
      assertThat(r.step("long-wait").orElseThrow().status()).isEqualTo(StepStatus.ABORTED);
      assertThat(r.step("after").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
      assertThat(Path.of(r.workdir())).doesNotExist();
    } finally {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A shell job started in the background ({@code mvn verify &}, {@code nohup}) runs with SIGINT ignored, and a
   * JVM started with SIGINT ignored keeps ignoring it: the child would never see this test's Ctrl-C. coreutils'
   * {@code env --default-signal=INT} restores the default before the child starts (where it exists).
   */
  private static List<String> defaultSigint() throws InterruptedException {
    try {
      Process probe = new ProcessBuilder("env", "--default-signal=INT", "true")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0) {
        return List.of("env", "--default-signal=INT");
      }
      probe.destroyForcibly();
    } catch (IOException e) {
      // no env(1): start the child directly
    }
    return List.of();
  }
}
