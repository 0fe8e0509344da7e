package io.promokit.steps.manifests.internal.helm;

import io.promokit.StepException;
import io.promokit.steps.kit.AtomicFiles;
import io.promokit.steps.kit.KeyPath;
import io.promokit.steps.kit.YamlEditor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A stand-in for a chart that Helm's dependency manager works on when the chart itself will not do: its
 * Chart.yaml with some repository URLs replaced (those served by the call's {@link ChartRepositoryProxy}),
 * relative {@code file://} dependencies made absolute, and, to rebuild exactly what a Chart.lock says, each
 * version pinned to the locked one. Its {@code charts/} is a symlink to the chart's own, so the downloaded
 * archives land there. It lives in the call's folder and goes with it.
 *
 * <p>Helm writes the stand-in's Chart.lock with the stand-in's URLs; {@link #copyLockBack()} writes it to the
 * chart with the chart's own repositories and the digest Helm would have computed for them
 * ({@link ChartLockDigest}, checked first against the digest Helm computed for the stand-in).
 */
public final class ShadowChart {

  private static final String LOCK = "Chart.lock";

  private final Path chart;
  private final Path folder;
  private final List<Map<String, Object>> ownDependencies;
  private final List<Map<String, Object>> shadowDependencies;

  private ShadowChart(Path chart, Path folder, List<Map<String, Object>> ownDependencies,
      List<Map<String, Object>> shadowDependencies) {
    this.chart = chart;
    this.folder = folder;
    this.ownDependencies = ownDependencies;
    this.shadowDependencies = shadowDependencies;
  }

  /**
   * Writes the stand-in for the chart directory {@code chart} into {@code folder} (which must not exist).
   *
   * @param repositoryFor the URL Helm should use for a repository URL of Chart.yaml
   * @param pinToLock pin every dependency to the version in the chart's Chart.lock, after checking that the
   *     lock matches Chart.yaml as Helm's {@code dependency build} does
   * @throws StepException when {@code pinToLock} and the lock does not match Chart.yaml
   */
  public static ShadowChart create(Path chart, Path folder, UnaryOperator<String> repositoryFor, boolean pinToLock)
      throws IOException {
    String text = Files.readString(chart.resolve("Chart.yaml"), StandardCharsets.UTF_8);
    List<Map<String, Object>> own = ChartFiles.dependencies(ChartFiles.yaml(text.getBytes(StandardCharsets.UTF_8)));
    List<Map<String, Object>> locked = List.of();
    if (pinToLock) {
      Map<String, Object> lock = ChartFiles.yaml(Files.readAllBytes(chart.resolve(LOCK)));
      locked = ChartFiles.dependencies(lock);
      if (!ChartLockDigest.of(own, locked).equals(lock.get("digest")) || locked.size() != own.size()) {
        throw new StepException("failed to build dependencies: the lock file (Chart.lock) is out of sync with the "
            + "dependencies file (Chart.yaml). Please update the dependencies");
      }
    }
    YamlEditor editor = new YamlEditor();
    for (int i = 0; i < own.size(); i++) {
      String repository = ChartLockDigest.goString(own.get(i).get("repository"));
      String replacement = repository;
      if (repository.startsWith("file://") && !repository.startsWith("file:///")) {
        replacement = "file://" + chart.resolve(repository.substring("file://".length())).normalize();
      } else if (repository.startsWith("http://") || repository.startsWith("https://")) {
        replacement = repositoryFor.apply(repository);
      }
      if (!replacement.equals(repository)) {
        text = editor.update(text, KeyPath.of("dependencies", Integer.toString(i), "repository"), replacement);
      }
      if (pinToLock) {
        text = editor.update(text, KeyPath.of("dependencies", Integer.toString(i), "version"),
            ChartLockDigest.goString(locked.get(i).get("version")));
      }
    }
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("Chart.yaml"), text, StandardCharsets.UTF_8);
    Path charts = chart.resolve("charts");
    if (!Files.exists(charts)) {
      Files.createDirectories(charts);
    }
    Files.createSymbolicLink(folder.resolve("charts"), charts.toRealPath());
    List<Map<String, Object>> shadow = ChartFiles.dependencies(ChartFiles.yaml(text.getBytes(StandardCharsets.UTF_8)));
    return new ShadowChart(chart, folder, own, shadow);
  }

  /**
   * What Helm's chart loader logs about the stand-in's {@code charts/} symlink ("found symbolic link in path:
   * ... Contents of linked file included and used"): a line about our own plumbing, to be left out of the log.
   */
  public String symlinkNotice() {
    return "found symbolic link in path: " + folder.resolve("charts") + " resolves to ";
  }

  /** Whether Chart.yaml of the chart directory has a dependency on an {@code http(s)://} repository. */
  public static boolean hasHttpDependencies(Path chart) {
    if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
      return false;
    }
    try {
      return ChartFiles.dependencies(ChartFiles.yaml(Files.readAllBytes(chart.resolve("Chart.yaml")))).stream()
          .map(d -> ChartLockDigest.goString(d.get("repository")))
          .anyMatch(r -> r.startsWith("http://") || r.startsWith("https://"));
    } catch (IOException e) {
      return false;
    }
  }

  /** The stand-in chart's folder, for Helm. */
  public Path folder() {
    return folder;
  }

  /**
   * Writes the Chart.lock Helm wrote for the stand-in to the chart, with the chart's own repository URLs and
   * the digest for them; nothing when Helm wrote none (no dependencies).
   *
   * @throws StepException when the chart's Chart.lock is a symlink, or the digest Helm computed for the
   *     stand-in cannot be reproduced (so the chart's own could be wrong)
   */
  public void copyLockBack() throws IOException {
    Path written = folder.resolve(LOCK);
    if (!Files.exists(written)) {
      return;
    }
    String text = Files.readString(written, StandardCharsets.UTF_8);
    Map<String, Object> lock = ChartFiles.yaml(text.getBytes(StandardCharsets.UTF_8));
    List<Map<String, Object>> locked = ChartFiles.dependencies(lock);
    String helmDigest = Objects.toString(lock.get("digest"), "");
    if (!ChartLockDigest.of(shadowDependencies, locked).equals(helmDigest) || locked.size() != ownDependencies.size()) {
      throw StepException.terminal("failed to write Chart.lock: the digest Helm computed for the dependencies of "
          + chart.resolve("Chart.yaml") + " cannot be reproduced here, so the lock for the chart's own "
          + "repository URLs cannot be written (please report this Chart.yaml)");
    }
    List<Map<String, Object>> own = new ArrayList<>();
    YamlEditor editor = new YamlEditor();
    for (int i = 0; i < locked.size(); i++) {
      Map<String, Object> entry = new java.util.LinkedHashMap<>(locked.get(i));
      String repository = ChartLockDigest.sanitize(ChartLockDigest.goString(ownDependencies.get(i).get("repository")));
      if (!repository.equals(ChartLockDigest.goString(entry.get("repository")))) {
        entry.put("repository", repository);
        text = editor.update(text, KeyPath.of("dependencies", Integer.toString(i), "repository"), repository);
      }
      own.add(entry);
    }
    text = editor.update(text, KeyPath.of("digest"), ChartLockDigest.of(ownDependencies, own));
    Path target = chart.resolve(LOCK);
    if (Files.isSymbolicLink(target)) {
      throw new StepException("failed to update chart dependencies: the Chart.lock file is a symlink to \""
          + Files.readSymbolicLink(target) + "\"");
    }
    AtomicFiles.writeString(target, text);
  }
}
