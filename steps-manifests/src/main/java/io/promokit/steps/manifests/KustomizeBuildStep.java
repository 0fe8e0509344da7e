package io.promokit.steps.manifests;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.RegisteredStep;
import io.promokit.StepResult;
import io.promokit.steps.kit.AtomicFiles;
import io.promokit.steps.kit.ProcessResult;
import io.promokit.steps.kit.ProcessRunner;
import io.promokit.steps.kit.ProcessSpec;
import io.promokit.steps.kit.StepDefinition;
import io.promokit.steps.kit.TypedStep;
import io.promokit.steps.kit.WorkdirPaths;
import io.promokit.steps.manifests.internal.Resource;
import io.promokit.steps.manifests.internal.SafeFileNames;
import io.promokit.steps.manifests.internal.YamlDocuments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kustomize-build}: runs {@code kustomize build} (or {@code kubectl kustomize}) with no load restrictions
 * and Helm charts enabled, then writes the result to one file or to one file per resource (Kargo's naming).
 */
final class KustomizeBuildStep implements TypedStep<KustomizeBuildStep.Config> {

  record Config(String path, String outPath, String outputFormat, Plugin plugin) {}

  record Plugin(Helm helm) {}

  record Helm(List<String> apiVersions, String kubeVersion) {}

  private final Tools tools;

  private KustomizeBuildStep(Tools tools) {
    this.tools = tools;
  }

  static RegisteredStep definition(Tools tools) {
    return StepDefinition.builder("kustomize-build")
        .schemaResource(ManifestSteps.class, "schemas/kustomize-build.json")
        .run(Config.class, new KustomizeBuildStep(tools))
        .build();
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws Exception {
    Path directory = WorkdirPaths.resolve(context.workdir(), config.path(), WorkdirPaths.Access.READ, "config.path");
    Path outPath = WorkdirPaths.resolve(context.workdir(), config.outPath(), WorkdirPaths.Access.WRITE,
        "config.outPath");
    String rendered = build(context, directory, config.plugin() == null ? null : config.plugin().helm());
    if (isYamlFile(config.outPath())) {
      AtomicFiles.write(outPath, rendered.getBytes(StandardCharsets.UTF_8), null, true);
    } else {
      writeDirectory(outPath, rendered, "kustomize".equals(config.outputFormat()));
    }
    return StepResult.succeeded();
  }

  private String build(StepContext context, Path directory, Helm helm) throws InterruptedException {
    List<String> command = new ArrayList<>(tools.kustomizeCommand());
    command.add(directory.toString());
    command.add("--load-restrictor");
    command.add("LoadRestrictionsNone");
    command.add("--enable-helm");
    command.add("--helm-command");
    command.add(tools.helmCommand());
    if (helm != null) {
      if (helm.apiVersions() != null) {
        for (String apiVersion : helm.apiVersions()) {
          command.add("--helm-api-versions");
          command.add(apiVersion);
        }
      }
      if (helm.kubeVersion() != null && !helm.kubeVersion().isEmpty()) {
        command.add("--helm-kube-version");
        command.add(helm.kubeVersion());
      }
    }
    ProcessResult outcome = ProcessRunner.forStep(context).run(ProcessSpec.builder(command)
        .directory(context.workdir())
        .logStdout(false)
        .captureLimit(ProcessSpec.MAX_CAPTURE_LIMIT)
        .missingToolHint("install kustomize v5, or kubectl 1.27 or later ('kubectl kustomize')")
        .build());
    if (outcome.stdoutTruncated()) {
      throw new StepException(String.join(" ", tools.kustomizeCommand()) + " printed more than "
          + ProcessSpec.MAX_CAPTURE_LIMIT + " bytes");
    }
    if (outcome.exitCode() != 0) {
      String error = outcome.stderrTail().strip().replaceFirst("^Error: ", "");
      if (error.contains("is '" + tools.helmCommand() + "' installed?")
          || (error.contains("executable file not found") && error.contains("helm"))) {
        throw StepException.terminal("the kustomization in " + context.workdir().relativize(directory)
            + " inflates Helm charts (helmCharts), which needs the helm binary \"" + tools.helmCommand()
            + "\", and it was not found: install Helm 3 or set ManifestSteps.builder().helmCommand(...) ("
            + error + ")");
      }
      throw new StepException(String.join(" ", tools.kustomizeCommand()) + " failed (exit code "
          + outcome.exitCode() + "): " + error);
    }
    return outcome.stdout();
  }

  /** One file per resource; namespaced resources first, grouped by namespace, then cluster-scoped ones. */
  private static void writeDirectory(Path outPath, String rendered, boolean kustomizeNames) throws IOException {
    List<Resource> resources;
    try {
      resources = YamlDocuments.read(rendered);
    } catch (IOException e) {
      throw new StepException("kustomize printed YAML that cannot be read: " + e.getMessage(), e);
    }
    Map<String, List<Resource>> byNamespace = new LinkedHashMap<>();
    List<Resource> clusterScoped = new ArrayList<>();
    for (Resource resource : resources) {
      if (resource.isClusterScoped()) {
        clusterScoped.add(resource);
      } else {
        byNamespace.computeIfAbsent(resource.namespace(), ns -> new ArrayList<>()).add(resource);
      }
    }
    boolean severalNamespaces = byNamespace.size() > 1;
    Map<String, Resource> files = new LinkedHashMap<>();
    byNamespace.values().forEach(list -> list.forEach(r -> files.put(fileName(r, kustomizeNames, severalNamespaces), r)));
    clusterScoped.forEach(r -> files.put(fileName(r, kustomizeNames, false), r));
    Files.createDirectories(outPath);
    for (Map.Entry<String, Resource> file : files.entrySet()) {
      AtomicFiles.writeString(outPath.resolve(file.getKey()), YamlDocuments.sorted(file.getValue()));
    }
  }

  private static String fileName(Resource resource, boolean kustomizeNames, boolean severalNamespaces) {
    return SafeFileNames.check(kustomizeNames ? resource.kustomizeFileName(severalNamespaces)
        : resource.kargoFileName());
  }

  static boolean isYamlFile(String path) {
    return path.endsWith(".yaml") || path.endsWith(".yml");
  }
}
