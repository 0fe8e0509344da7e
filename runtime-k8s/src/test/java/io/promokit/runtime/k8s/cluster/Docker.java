package io.promokit.runtime.k8s.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** The local Docker daemon, through the {@code docker} command. */
public final class Docker {

  /** What a docker command printed and returned. */
  public record Result(int exitCode, String out, String err) {
    public boolean ok() {
      return exitCode == 0;
    }

    public Result orThrow(List<String> args) {
      if (exitCode != 0) {
        throw new IllegalStateException("docker " + String.join(" ", args) + " failed (" + exitCode + "): " + err.strip());
      }
      return this;
    }
  }

  private static volatile Optional<String> unavailable;

  private Docker() {}

  /**
   * Skips the calling test with one line saying why when no Docker daemon answers, or fails it when
   * {@code PROMOKIT_REQUIRE_DOCKER=true}. Test classes also carry {@link RequiresDocker}, which skips them
   * before they start.
   */
  public static void assumeAvailable() {
    Optional<String> why = unavailableReason();
    if (why.isEmpty()) {
      return;
    }
    String message = "Docker is not available (" + why.get() + "): the fake kubelet runs step Pods in Docker";
    if ("true".equals(System.getenv("PROMOKIT_REQUIRE_DOCKER"))) {
      throw new AssertionError(message + ", and PROMOKIT_REQUIRE_DOCKER=true");
    }
    Assumptions.abort(message);
  }

  /** Why Docker cannot be used, or empty when it can. */
  public static Optional<String> unavailableReason() {
    Optional<String> known = unavailable;
    if (known == null) {
      try {
        Result r = run(List.of("info", "--format", "{{.ServerVersion}}"), 20);
        known = r.ok() ? Optional.empty() : Optional.of(r.err().strip());
      } catch (RuntimeException e) {
        known = Optional.of(e.getMessage());
      }
      unavailable = known;
    }
    return known;
  }

  /** Runs a docker command and waits for it (at most {@code timeoutSeconds}). */
  public static Result run(List<String> args, long timeoutSeconds) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(args);
    try {
      Process p = new ProcessBuilder(command).start();
      p.getOutputStream().close();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("docker " + String.join(" ", args) + " took more than " + timeoutSeconds + " s");
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run docker: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running docker " + args, e);
    }
  }

  /** Runs a docker command that must succeed, and returns its trimmed stdout. */
  public static String ok(String... args) {
    return run(List.of(args), 120).orThrow(List.of(args)).out().strip();
  }

  /** Starts a docker command whose stdout and stderr are merged, for streaming. */
  public static Process stream(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    return p;
  }

  /** Reads a stream to its end on a thread of its own (the common pool may have a single thread). */
  private static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (in) {
        text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        text.complete("");
      }
    }, "docker-output");
    t.setDaemon(true);
    t.start();
    return text;
  }
}
