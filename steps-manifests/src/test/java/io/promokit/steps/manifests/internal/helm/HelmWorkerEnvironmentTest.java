package io.promokit.steps.manifests.internal.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.PromotionContext;
import io.promokit.testkit.TestStepContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Helm worker's environment is fixed when it starts (Go copies it once), so it must hold nothing of the
 * host's Helm, Kubernetes, Docker or proxy settings, and every path Helm derives from it must be relative, so
 * that it leads into the folder of the call being served (the worker's working directory).
 */
class HelmWorkerEnvironmentTest {

  @TempDir
  Path temp;

  @TempDir
  Path workdir;

  @Test
  void theWorkerSeesNoneOfTheHostsSettingsAndEveryHelmPathIsRelative() throws Exception {
    Map<String, String> host = new LinkedHashMap<>();
    host.put("PATH", System.getenv("PATH"));
    host.put("LANG", "C.UTF-8");
    host.put("HOME", "/root");
    host.put("TMPDIR", "/var/tmp");
    host.put("HELM_REPOSITORY_CONFIG", "/etc/host/repositories.yaml");
    host.put("HELM_REGISTRY_CONFIG", "/etc/host/registry.json");
    host.put("HELM_REPOSITORY_CACHE", "/etc/host/cache");
    host.put("HELM_DRIVER", "sql");
    host.put("KUBECONFIG", "/etc/host/kubeconfig");
    host.put("DOCKER_CONFIG", "/etc/host/docker");
    host.put("HTTPS_PROXY", "http://proxy.example:3128");
    Path chart = workdir.resolve("chart");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    Files.writeString(chart.resolve("templates/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
    HelmWorkspace workspace = HelmWorkspace.create(temp);
    TestStepContext context = TestStepContext.builder(workdir).config(Map.of())
        .promotion(PromotionContext.builder().project("p").build()).build();
    try (HelmChild helm = new HelmChild(workspace, Path.of(System.getProperty("java.home"), "bin", "java"), 1,
        Duration.ofMinutes(5), host)) {
      String manifest;
      try (HelmChild.Call call = helm.call("template")) {
        manifest = call.set("chart", chart.toString()).set("name", "r").set("namespace", "n").run(context, s -> s);
      }
      assertThat(manifest).contains("name: x");
      List<ProcessHandle> workers = ProcessHandle.current().descendants()
          .filter(p -> p.info().commandLine().orElse("").contains(workspace.folder().toString())).toList();
      assertThat(workers).hasSize(1);

      Map<String, String> env = environ(workers.get(0).pid());

      assertThat(env).containsOnlyKeys("PATH", "LANG", "HOME", "HELM_CACHE_HOME", "HELM_CONFIG_HOME",
          "HELM_DATA_HOME", "TMPDIR");
      assertThat(env).containsEntry("PATH", System.getenv("PATH")).containsEntry("LANG", "C.UTF-8")
          .containsEntry("HOME", "home")
          .containsEntry("HELM_CACHE_HOME", "home/cache")
          .containsEntry("HELM_CONFIG_HOME", "home/config")
          .containsEntry("HELM_DATA_HOME", "home/data")
          .containsEntry("TMPDIR", ".");
    } finally {
      workspace.close();
    }
  }

  /** A process's environment as it started, from {@code /proc/<pid>/environ}. */
  private static Map<String, String> environ(long pid) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    String text = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8);
    for (String entry : text.split("\0")) {
      int equals = entry.indexOf('=');
      if (equals > 0) {
        env.put(entry.substring(0, equals), entry.substring(equals + 1));
      }
    }
    return env;
  }
}
