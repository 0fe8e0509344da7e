package io.promokit.steps.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Helm worker outlives its host: when the host JVM is killed, an idle worker sees its stdin end and a busy
 * one (stuck in a native Helm call) sees its parent gone; {@link ManifestSteps#reap} then removes the files.
 */
class HelmWorkerHostDeathTest {

  @TempDir
  Path temp;

  @TempDir
  Path workdir;

  @Test
  void theWorkersOfAKilledHostEndAndReapRemovesTheirFiles() throws Exception {
    Process host = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), HelmHostMain.class.getName(), temp.toString(), workdir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
        try {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.equals("READY")) {
              return line;
            }
          }
          return "the host ended";
        } catch (java.io.IOException e) {
          return e.toString();
        }
      });
      assertThat(ready.get(3, TimeUnit.MINUTES)).isEqualTo("READY");
      List<ProcessHandle> workers = host.descendants()
          .filter(p -> p.info().commandLine().orElse("").contains("HelmWorkerMain")).toList();
      assertThat(workers).as("one busy and one idle worker").hasSize(2);

      host.destroyForcibly();
      host.waitFor(30, TimeUnit.SECONDS);

      assertThat(HelmWorkerProcesses.await(() -> workers.stream().noneMatch(ProcessHandle::isAlive)))
          .as("the workers ended with their host").isTrue();
      assertThat(ManifestSteps.reap(temp)).isEqualTo(1);
      assertThat(temp).isEmptyDirectory();
    } finally {
      host.descendants().forEach(ProcessHandle::destroyForcibly);
      host.destroyForcibly();
    }
  }
}
