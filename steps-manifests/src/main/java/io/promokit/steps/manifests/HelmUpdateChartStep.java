package io.promokit.steps.manifests;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.RegisteredStep;
import io.promokit.StepResult;
import io.promokit.steps.kit.AtomicFiles;
import io.promokit.steps.kit.KeyPath;
import io.promokit.steps.kit.StepDefinition;
import io.promokit.steps.kit.TypedStep;
import io.promokit.steps.kit.WorkdirPaths;
import io.promokit.steps.kit.YamlEditor;
import io.promokit.steps.manifests.internal.helm.ChartFiles;
import io.promokit.steps.manifests.internal.helm.ChartRepositoryProxy;
import io.promokit.steps.manifests.internal.helm.HelmChild;
import io.promokit.steps.manifests.internal.helm.ShadowChart;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code helm-update-chart}: optionally sets dependency versions in Chart.yaml (in place, keeping the file's
 * layout), then runs Helm's dependency update on a Helm worker with the call's own Helm home, the registry
 * logins the dependencies need and a proxy for HTTP(S) repositories with credentials, and keeps the old
 * Chart.lock when nothing changed.
 */
final class HelmUpdateChartStep implements TypedStep<HelmUpdateChartStep.Config> {

  record Chart(String repository, String name, String version) {}

  record Config(String path, List<Chart> charts) {}

  private final Tools tools;

  private HelmUpdateChartStep(Tools tools) {
    this.tools = tools;
  }

  static RegisteredStep definition(Tools tools) {
    return StepDefinition.builder("helm-update-chart")
        .schemaResource(ManifestSteps.class, "schemas/helm-update-chart.json")
        .run(Config.class, new HelmUpdateChartStep(tools))
        .build();
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws Exception {
    Path chart = WorkdirPaths.resolve(context.workdir(), config.path(), WorkdirPaths.Access.READ, "config.path");
    WorkdirPaths.resolve(context.workdir(), config.path() + "/Chart.lock", WorkdirPaths.Access.WRITE, "config.path");
    Map<String, Object> chartYaml = ChartYaml.read(chart);
    List<Map<String, Object>> dependencies = ChartFiles.dependencies(chartYaml);
    checkLocalDependencies(context, config.path(), dependencies);
    if (config.charts() != null) {
      applyUpdates(chart, config.charts(), dependencies);
    }
    Path lock = chart.resolve("Chart.lock");
    byte[] oldLock = Files.exists(lock) ? Files.readAllBytes(lock) : null;
    Map<String, String> before = lockedVersions(lock);
    HelmCredentials credentials = tools.helmCredentials(context);
    try (HelmChild.Call call = tools.helm().call("update")) {
      Optional<ChartRepositoryProxy> proxy = credentials.addLogins(call, chart);
      if (proxy.isEmpty()) {
        call.set("chart", chart.toString()).run(context, credentials.masker(context));
      } else {
        // Helm sends no credentials to HTTP(S) repositories: it updates a stand-in whose URLs go through the proxy.
        ShadowChart shadow = ShadowChart.create(chart, call.folder().resolve("chart"), proxy.get()::proxyUrl, false);
        call.set("chart", shadow.folder().toString()).hideLinesContaining(shadow.symlinkNotice())
            .run(context, credentials.masker(context));
        shadow.copyLockBack();
      }
    }
    Map<String, String> after = lockedVersions(lock);
    String message = commitMessage(config.path(), before, after);
    if (message.isEmpty()) {
      if (oldLock != null) {
        AtomicFiles.write(lock, oldLock, null, true);   // the same versions: keep the old 'generated' time, no churn
      }
      return StepResult.succeeded();
    }
    return StepResult.succeeded(Map.of("commitMessage", message));
  }

  /** Every {@code file://} dependency must be relative and stay inside the working directory. */
  private static void checkLocalDependencies(StepContext context, String chartPath,
      List<Map<String, Object>> dependencies) {
    for (Map<String, Object> dependency : dependencies) {
      String repository = Objects.toString(dependency.get("repository"), "");
      if (!repository.startsWith("file://")) {
        continue;
      }
      String local = repository.substring("file://".length());
      if (local.startsWith("/")) {
        throw StepException.terminal("dependency " + dependency.get("name") + ": " + repository
            + " is an absolute path; local dependencies must be relative to the chart");
      }
      try {
        WorkdirPaths.resolve(context.workdir(), chartPath + "/" + local, WorkdirPaths.Access.READ, "config.path");
      } catch (StepException e) {
        throw StepException.terminal("dependency " + dependency.get("name") + ": " + repository
            + " leads outside the working directory", e);
      }
    }
  }

  private static void applyUpdates(Path chart, List<Chart> updates, List<Map<String, Object>> dependencies)
      throws java.io.IOException {
    Path file = chart.resolve("Chart.yaml");
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String updated = text;
    for (Chart update : updates) {
      int index = -1;
      for (int i = 0; i < dependencies.size(); i++) {
        Map<String, Object> dependency = dependencies.get(i);
        if (update.repository().equals(dependency.get("repository")) && update.name().equals(dependency.get("name"))) {
          index = i;
          break;
        }
      }
      if (index < 0) {
        throw new StepException("no dependency in Chart.yaml matches update with repository " + update.repository()
            + " and name " + update.name());
      }
      if (!update.version().equals(Objects.toString(dependencies.get(index).get("version"), ""))) {
        updated = new YamlEditor().update(updated, KeyPath.of("dependencies", Integer.toString(index), "version"),
            update.version());
      }
    }
    if (!updated.equals(text)) {
      AtomicFiles.writeString(file, updated);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> lockedVersions(Path lock) {
    Map<String, String> versions = new TreeMap<>();
    if (ChartYaml.readFile(lock, false).get("dependencies") instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> m) {
          versions.put(Objects.toString(m.get("name"), ""), Objects.toString(m.get("version"), ""));
        }
      }
    }
    return versions;
  }

  /**
   * {@code Updated chart dependencies for <path>}, a blank line and one line per change, sorted by name
   * (Kargo's order is random): {@code - <name>: <old> -> <new>}, {@code - <name>: <new>} for an addition,
   * {@code - <name>: removed}. Empty when nothing changed.
   */
  static String commitMessage(String path, Map<String, String> before, Map<String, String> after) {
    StringBuilder lines = new StringBuilder();
    TreeSet<String> names = new TreeSet<>(before.keySet());
    names.addAll(after.keySet());
    for (String name : names) {
      String old = before.get(name);
      String now = after.get(name);
      if (Objects.equals(old, now)) {
        continue;
      }
      lines.append("\n- ").append(name).append(": ");
      if (now == null) {
        lines.append("removed");
      } else if (old == null) {
        lines.append(now);
      } else {
        lines.append(old).append(" -> ").append(now);
      }
    }
    return lines.length() == 0 ? "" : "Updated chart dependencies for " + path + "\n" + lines;
  }
}
