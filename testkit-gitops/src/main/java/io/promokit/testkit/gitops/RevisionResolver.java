package io.promokit.testkit.gitops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * How the fake Argo CD turns a source's {@code targetRevision} into the revision it syncs (a commit, or a chart
 * version), as Argo CD's repo server does.
 */
@FunctionalInterface
public interface RevisionResolver {

  /** A full commit id resolves to itself. */
  Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  /**
   * The revision.
   *
   * @throws Exception when the revision cannot be resolved (Argo CD then reports a ComparisonError)
   */
  String resolve(String repoURL, String targetRevision) throws Exception;

  /**
   * Git's own answer: a commit id as it is, else {@code git ls-remote <repoURL> <targetRevision>} (HEAD when
   * empty) against the real repository, bounded to 20 s. A chart source's version resolves to itself.
   */
  static RevisionResolver git() {
    return (repoURL, targetRevision) -> {
      if (COMMIT.matcher(targetRevision).matches()) {
        return targetRevision;
      }
      String ref = targetRevision.isEmpty() ? "HEAD" : targetRevision;
      ProcessBuilder pb = new ProcessBuilder("git", "ls-remote", "--", repoURL, ref).redirectErrorStream(true);
      pb.environment().put("GIT_TERMINAL_PROMPT", "0");
      Process p = pb.start();
      p.getOutputStream().close();
      // read on another thread, so that the wait below bounds the whole run (reading first would not be)
      CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
        try (InputStream in = p.getInputStream()) {
          return in.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      if (!p.waitFor(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("git ls-remote " + repoURL + " " + ref + " timed out");
      }
      String text = new String(out.get(20, TimeUnit.SECONDS), StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        throw new IllegalStateException("git ls-remote " + repoURL + " " + ref + " failed: " + text);
      }
      for (String line : text.split("\n")) {
        String[] parts = line.split("\t");
        if (parts.length == 2 && (parts[1].equals(ref) || parts[1].equals("refs/heads/" + ref)
            || parts[1].equals("refs/tags/" + ref))) {
          return parts[0];
        }
      }
      throw new IllegalStateException("unable to resolve '" + targetRevision + "' to a commit SHA");
    };
  }

  /** Fixed answers by targetRevision (commit ids resolve to themselves); anything else cannot be resolved. */
  static RevisionResolver of(Map<String, String> revisions) {
    Map<String, String> copy = Map.copyOf(revisions);
    return (repoURL, targetRevision) -> {
      String found = copy.get(targetRevision);
      if (found != null) {
        return found;
      }
      if (COMMIT.matcher(targetRevision).matches()) {
        return targetRevision;
      }
      throw new IllegalStateException("unable to resolve '" + targetRevision + "' to a commit SHA");
    };
  }
}
