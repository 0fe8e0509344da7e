package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.PromotionPhase;
import io.promokit.records.PromotionRecord;
import io.promokit.StepStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) aborts the running step, writes the record, and exits with 130 (CLI.md). */
class InterruptTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
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
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "run", template.toString(), "--record", record.toString())
        .redirectErrorStream(true)
        .start();
    BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = output.readLine()) != null) {
      seen.append(line).append('\n');
      if (line.startsWith("[start] long-wait")) {
        break;
      }
    }
    assertThat(seen.toString()).contains("[start] long-wait");

    new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
    String rest = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(seen + rest).isEqualTo(130);
    PromotionRecord r = PromotionRecord.fromJson(Files.readString(record));
    assertThat(r.phase()).isEqualTo(PromotionPhase.ABORTED);
    assertThat(r.step("long-wait").orElseThrow().status()).isEqualTo(StepStatus.ABORTED);
    assertThat(r.step("after").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(Path.of(r.workdir())).doesNotExist();
  }
}
