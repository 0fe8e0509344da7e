package io.promokit.steps.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real command (GNU tar, mkfifo) for a test and returns what it printed; fails the test on a non-zero exit. */
final class Processes {

  private Processes() {}

  static String run(Path directory, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(List.of(command)).directory(directory.toFile()).redirectErrorStream(true)
        .start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish in 60s");
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " + text);
    }
    return text;
  }
}
