package io.promokit.reap;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.PromotionReaper;
import io.promokit.internal.process.MarkedProcesses;
import io.promokit.runtime.LocalProcessRuntime;
import io.promokit.spi.ContainerSelector;
import io.promokit.spi.Leftover;
import io.promokit.steps.kit.ProcessFolders;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a host JVM running the library mid-step, then {@link PromotionReaper} removes everything it left. */
class HostCrashReapTest {

  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theReaperRemovesTheProcessesScratchFolderAndWorkdirOfAKilledHost() throws Exception {
    Path state = dir.resolve("state");
    Path ledger = dir.resolve("ledger");
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Process host = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), CrashingHost.class.getName(),
        state.toString(), ledger.toString()).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
    String engineId = null;
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null && !line.equals("started"); line = out.readLine()) {
      seen.append(line).append('\n');
      if (line.startsWith("engine ")) {
        engineId = line.substring("engine ".length());
      }
    }
    assertThat(engineId).as(seen.toString()).isNotNull();
    host.destroyForcibly();
    assertThat(host.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(MarkedProcesses.withMark("PROMOKIT_ENGINE", engineId)).as("the step's processes").hasSize(2);
    List<Path> workdirs = children(tmp);
    assertThat(workdirs).as("the workdir").singleElement()
        .satisfies(w -> assertThat(w.getFileName().toString()).startsWith("promokit-crash-1-"));

    String workdir = workdirs.get(0).toRealPath().toString();
    PromotionReaper reaper = PromotionReaper.builder()
        .containerRuntime(LocalProcessRuntime.create(state))
        .workdirLedger(ledger)
        .build();
    List<Leftover> found = reaper.find(ContainerSelector.engine(engineId));
    List<Leftover> removed = reaper.reap(ContainerSelector.engine(engineId));

    assertThat(found).isEqualTo(removed);
    assertThat(removed).extracting(Leftover::kind).containsExactly("local process", "workdir");
    assertThat(removed.get(1).name()).isEqualTo(workdir);
    assertThat(MarkedProcesses.withMark("PROMOKIT_ENGINE", engineId)).as("processes left").isEmpty();
    assertThat(children(tmp)).as("workdirs left").isEmpty();
    assertThat(children(state)).as("scratch folders left").isEmpty();
    assertThat(children(ledger)).as("ledger entries left").isEmpty();
    assertThat(reaper.reap(ContainerSelector.engine(engineId))).isEmpty();
  }

  @Test
  void processFoldersOfDeadProcessesAreFoundAndRemovedAndThoseOfLivingOnesAreLeft() throws Exception {
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    Path deadFolder = Files.createDirectories(dir.resolve("promokit-x-" + dead.pid() + "-abc"));
    Files.writeString(deadFolder.resolve("key"), "k");
    Path liveFolder = Files.createDirectories(dir.resolve(ProcessFolders.prefixOfThisProcess("promokit-x-") + "def"));
    Files.createDirectories(dir.resolve("promokit-x-notapid"));
    ProcessFolders folders = ProcessFolders.source(dir, "promokit-x-", "x folder");

    List<Leftover> found = folders.find(ContainerSelector.engine("any"));

    assertThat(found).extracting(Leftover::name).containsExactly(deadFolder.toString());
    assertThat(found.get(0).engine()).isEmpty();
    assertThat(folders.remove(found.get(0))).isTrue();
    assertThat(deadFolder).doesNotExist();
    assertThat(liveFolder).isDirectory();
    assertThat(folders.find(ContainerSelector.all())).isEmpty();
  }

  private static List<Path> children(Path folder) throws Exception {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.toList();
    }
  }
}
