package io.promokit.steps.manifests;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.RegisteredStep;
import io.promokit.StepResult;
import io.promokit.steps.kit.InvalidConfigException;
import io.promokit.steps.kit.StepDefinition;
import io.promokit.steps.kit.TypedStep;
import io.promokit.steps.kit.WorkdirPaths;
import io.promokit.steps.manifests.internal.helm.ChartFiles;
import io.promokit.steps.manifests.internal.helm.ChartRepositoryProxy;
import io.promokit.steps.manifests.internal.helm.HelmChild;
import io.promokit.steps.manifests.internal.helm.RenderedManifest;
import io.promokit.steps.manifests.internal.helm.ShadowChart;
import io.promokit.steps.manifests.internal.helm.ValuesComposer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;

/**
 * {@code helm-template}: composes the values, renders the chart with Helm's SDK on a Helm worker, and writes the
 * manifest as one file, in Helm's {@code --output-dir} layout, or flat. What helm-java 0.0.21 cannot do (hooks,
 * {@code .Capabilities.APIVersions}) is refused as invalid config when the chart would need it.
 */
final class HelmTemplateStep implements TypedStep<HelmTemplateStep.Config> {

  record SetValue(String key, String value, Boolean literal) {}

  record Config(String path, String outPath, String outLayout, String releaseName, Boolean useReleaseName,
      String namespace, List<String> valuesFiles, Boolean ignoreMissingValueFiles, List<SetValue> setValues,
      Boolean buildDependencies, Boolean includeCRDs, Boolean disableHooks, Boolean skipTests, String kubeVersion,
      List<String> apiVersions) {}

  /** Made when a step first writes values, not when the step is registered (validate never needs it). */
  private static final class ValuesJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final Tools tools;

  private HelmTemplateStep(Tools tools) {
    this.tools = tools;
  }

  static RegisteredStep definition(Tools tools) {
    return StepDefinition.builder("helm-template")
        .schemaResource(ManifestSteps.class, "schemas/helm-template.json")
        .run(Config.class, new HelmTemplateStep(tools))
        .build();
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws Exception {
    Path chart = WorkdirPaths.resolve(context.workdir(), config.path(), WorkdirPaths.Access.READ, "config.path");
    Path outPath = WorkdirPaths.resolve(context.workdir(), config.outPath(), WorkdirPaths.Access.WRITE,
        "config.outPath");
    boolean toFile = KustomizeBuildStep.isYamlFile(config.outPath());
    if (toFile && Files.isDirectory(outPath)) {
      throw new StepException("failed to write rendered chart: outPath \"" + config.outPath()
          + "\" is a directory, but ends in .yaml/.yml, so a file was expected");
    }
    if (!Files.exists(chart)) {
      throw new StepException("failed to load chart: \"" + config.path() + "\" does not exist");
    }
    Map<String, Object> values = composeValues(context, config);
    HelmCredentials credentials = tools.helmCredentials(context);
    String manifest;
    try (HelmChild.Call call = tools.helm().call("template")) {
      Optional<ShadowChart> lockToCopy = isTrue(config.buildDependencies())
          ? buildDependencies(call, chart, credentials) : Optional.empty();
      // What helm-java cannot render is looked for while Helm renders (it only reads files); with dependencies
      // to build, before, so that a chart that is refused gets none; not at all when nothing depends on it.
      CompletableFuture<ChartFiles> scan = !needsScan(config) ? CompletableFuture.completedFuture(null)
          : isTrue(config.buildDependencies()) ? CompletableFuture.completedFuture(scan(chart, config))
          : scanAlongside(chart, config);
      if (!values.isEmpty()) {
        Path valuesFile = call.folder().resolve("values.json");
        ValuesJson.MAPPER.writeValue(valuesFile.toFile(), values);
        call.set("valuesFile", valuesFile.toString());
      }
      String namespace = config.namespace() == null || config.namespace().isEmpty()
          ? context.promotion().project() : config.namespace();
      try {
        manifest = call.set("chart", chart.toString())
            .set("name", config.releaseName())
            .set("namespace", namespace)
            .set("kubeVersion", emptyToNull(config.kubeVersion()))
            .run(context, credentials.masker(context));
      } catch (StepException e) {
        scanned(scan);   // a refusal says more than the error Helm gave for it
        throw e;
      }
      ChartFiles files = scanned(scan);
      if (lockToCopy.isPresent()) {
        lockToCopy.get().copyLockBack();
      }
      List<RenderedManifest.Document> crds = isTrue(config.includeCRDs()) ? crds(files) : List.of();
      RenderedManifest rendered = RenderedManifest.parse(manifest, crds);
      try {
        if (toFile) {
          rendered.writeFile(outPath);
        } else if ("flat".equals(config.outLayout())) {
          rendered.writeFlat(outPath);
        } else {
          Path dir = isTrue(config.useReleaseName()) ? outPath.resolve(config.releaseName()) : outPath;
          rendered.writeHelmLayout(dir);
        }
      } catch (IOException e) {
        throw new StepException("failed to write rendered chart: " + e.getMessage(), e);
      }
    }
    return StepResult.succeeded();
  }

  /**
   * Sets up how the worker builds the chart's dependencies before it renders. Helm's {@code dependency build}
   * where it works; but helm-java's dependency manager has no repository config, so its build refuses a
   * Chart.lock with HTTP(S) repositories ("no repository definition") and sends no credentials. Then the worker
   * updates a stand-in instead, pinned to the locked versions (the lock checked against Chart.yaml first, as
   * Helm's build does), through the proxy for repositories with credentials.
   *
   * @return the stand-in whose new Chart.lock is to be copied to the chart (Helm's build writes one when the
   *     chart has none)
   */
  private static Optional<ShadowChart> buildDependencies(HelmChild.Call call, Path chart, HelmCredentials credentials)
      throws IOException {
    Optional<ChartRepositoryProxy> proxy = credentials.addLogins(call, chart);
    boolean locked = Files.isRegularFile(chart.resolve("Chart.lock"));
    if (proxy.isEmpty() && !(locked && ShadowChart.hasHttpDependencies(chart))) {
      call.set("dependencies", "build");
      return Optional.empty();
    }
    UnaryOperator<String> urls = proxy.isPresent() ? proxy.get()::proxyUrl : UnaryOperator.identity();
    ShadowChart shadow = ShadowChart.create(chart, call.folder().resolve("chart"), urls, locked);
    call.set("dependencies", "update").set("dependencyChart", shadow.folder().toString())
        .hideLinesContaining(shadow.symlinkNotice());
    return locked ? Optional.empty() : Optional.of(shadow);
  }

  /**
   * Whether the chart's files must be read: for its hooks (unless they are disabled), for the templates that read
   * API versions (when some are given), or for its CRDs.
   */
  private static boolean needsScan(Config config) {
    return !isTrue(config.disableHooks()) || (config.apiVersions() != null && !config.apiVersions().isEmpty())
        || isTrue(config.includeCRDs());
  }

  /** Reads the chart's templates and CRDs and refuses what helm-java cannot render. */
  private static ChartFiles scan(Path chart, Config config) throws IOException {
    ChartFiles files = ChartFiles.read(chart);
    refuseWhatCannotBeRendered(config, files);
    return files;
  }

  /** {@link #scan} on a thread of its own. */
  private static CompletableFuture<ChartFiles> scanAlongside(Path chart, Config config) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return scan(chart, config);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, task -> {
      Thread thread = new Thread(task, "promokit-helm-chart-scan");
      thread.setDaemon(true);
      thread.start();
    });
  }

  private static ChartFiles scanned(CompletableFuture<ChartFiles> scan) throws IOException, InterruptedException {
    try {
      return scan.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static Map<String, Object> composeValues(StepContext context, Config config) throws IOException {
    ValuesComposer composer = new ValuesComposer();
    List<String> files = config.valuesFiles() == null ? List.of() : config.valuesFiles();
    for (int i = 0; i < files.size(); i++) {
      Path file = WorkdirPaths.resolve(context.workdir(), files.get(i), WorkdirPaths.Access.READ,
          "config.valuesFiles[" + i + "]");
      if (!Files.isRegularFile(file)) {
        if (isTrue(config.ignoreMissingValueFiles())) {
          continue;
        }
        throw new StepException("failed to compose values: config.valuesFiles[" + i + "]: \"" + files.get(i)
            + "\" does not exist");
      }
      try {
        composer.file(file, files.get(i));
      } catch (IllegalArgumentException e) {
        throw new StepException("failed to compose values: config.valuesFiles[" + i + "]: " + e.getMessage(), e);
      }
    }
    List<SetValue> sets = config.setValues() == null ? List.of() : config.setValues();
    for (int i = 0; i < sets.size(); i++) {
      SetValue set = sets.get(i);
      try {
        composer.set(set.key(), set.value(), isTrue(set.literal()));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException("config.setValues[" + i + "]: " + e.getMessage());
      }
    }
    try {
      return composer.compose();
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("config.setValues: " + e.getMessage());
    }
  }

  /**
   * helm-java renders no hooks and passes no API versions. Rather than leave hooks out silently, a chart with
   * hook templates needs {@code disableHooks: true} (or {@code skipTests: true} when all its hooks are tests),
   * and {@code apiVersions} are refused for a chart whose templates read them.
   */
  private static void refuseWhatCannotBeRendered(Config config, ChartFiles chart) {
    List<String> hooks = new ArrayList<>();
    List<String> apiVersionReaders = new ArrayList<>();
    for (ChartFiles c : chart.all()) {
      c.templates().forEach((path, text) -> {
        String where = c.fullPath() + "/" + path;
        if (text.contains("helm.sh/hook") && !(isTrue(config.skipTests()) && onlyTestHooks(text))) {
          hooks.add(where);
        }
        if (text.contains("APIVersions")) {
          apiVersionReaders.add(where);
        }
      });
    }
    if (!isTrue(config.disableHooks()) && !hooks.isEmpty()) {
      throw new InvalidConfigException("config.disableHooks: the chart has hook templates (" + String.join(", ", hooks)
          + "), which helm-java 0.0.21 cannot render; set disableHooks: true to render the chart without them");
    }
    if (config.apiVersions() != null && !config.apiVersions().isEmpty() && !apiVersionReaders.isEmpty()) {
      throw new InvalidConfigException("config.apiVersions: helm-java 0.0.21 cannot pass API versions to Helm, and "
          + "the chart reads .Capabilities.APIVersions (" + String.join(", ", apiVersionReaders) + ")");
    }
  }

  private static boolean onlyTestHooks(String template) {
    for (String line : template.split("\n")) {
      int at = line.indexOf("helm.sh/hook");
      if (at >= 0 && line.indexOf(':', at) > 0) {
        String rest = line.substring(at + "helm.sh/hook".length()).replace("\"", "").replace("'", "").strip();
        if (rest.startsWith(":") && !rest.substring(1).strip().startsWith("test")) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The CRDs Helm would put first with {@code includeCRDs} (its own {@code crds/}, then each subchart's). A
   * subchart that is switched by a condition or tags, and has CRDs, is refused: whether Helm would include it
   * depends on values this step does not evaluate.
   */
  private static List<RenderedManifest.Document> crds(ChartFiles chart) {
    List<RenderedManifest.Document> crds = new ArrayList<>();
    collectCrds(chart, crds);
    return crds;
  }

  private static void collectCrds(ChartFiles chart, List<RenderedManifest.Document> crds) {
    chart.crds().forEach((path, text) -> crds.add(new RenderedManifest.Document(chart.fullPath() + "/" + path, text)));
    List<String> conditional = chart.conditionalDependencies();
    for (ChartFiles sub : chart.subcharts()) {
      String name = sub.fullPath().substring(sub.fullPath().lastIndexOf('/') + 1);
      boolean hasCrds = sub.all().stream().anyMatch(c -> !c.crds().isEmpty());
      if (hasCrds && conditional.contains(name)) {
        throw new InvalidConfigException("config.includeCRDs: the subchart " + sub.fullPath() + " has CRDs and is "
            + "enabled by a condition or tags, which helm-java 0.0.21 cannot report; render its CRDs separately");
      }
      collectCrds(sub, crds);
    }
  }

  static boolean isTrue(Boolean value) {
    return Boolean.TRUE.equals(value);
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
