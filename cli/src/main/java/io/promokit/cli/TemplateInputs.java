package io.promokit.cli;

import io.promokit.CustomStepDefinition;
import io.promokit.DocumentSet;
import io.promokit.PromotionDocuments;
import io.promokit.PromotionTemplate;
import io.promokit.RegisteredStep;
import io.promokit.StepRegistry;
import io.promokit.TaskCatalog;
import io.promokit.steps.BuiltinSteps;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** The {@code --steps} and {@code --tasks} options shared by {@code run}, {@code validate} and {@code steps}. */
final class TemplateInputs {

  @Option(names = "--steps", paramLabel = "PATH",
      description = "CustomPromotionStep file or folder (repeatable; folders: every *.yaml/*.yml).")
  List<Path> steps = new ArrayList<>();

  @Option(names = "--tasks", paramLabel = "PATH",
      description = "PromotionTask / ClusterPromotionTask file or folder (repeatable).")
  List<Path> tasks = new ArrayList<>();

  /** What a template run needs: the template, its tasks, and a registry with built-ins and definitions. */
  record Loaded(PromotionTemplate template, TaskCatalog tasks, StepRegistry registry, List<CustomStepDefinition> definitions) {}

  /**
   * Reads the template file (which may also hold tasks and step definitions) and the {@code --tasks} and
   * {@code --steps} paths.
   *
   * @throws io.promokit.DocumentException naming file, line and field for the first bad document
   */
  Loaded load(Path templateFile, PrintWriter warnings) {
    requireExists(templateFile, "template");
    DocumentSet templateDocs = PromotionDocuments.load(templateFile);
    PromotionTemplate template = templateDocs.singleTemplate();
    DocumentSet all = templateDocs.merge(loadPaths(tasks, "--tasks")).merge(loadPaths(steps, "--steps"));
    List<CustomStepDefinition> definitions = all.definitions(CustomStepDefinition.class);
    return new Loaded(template, all.taskCatalog(), registry(definitions, warnings), definitions);
  }

  /** Only the step definitions, for {@code promokit steps}. */
  List<CustomStepDefinition> loadDefinitions() {
    return loadPaths(steps, "--steps").definitions(CustomStepDefinition.class);
  }

  /**
   * Built-ins plus the definitions. A definition named like a built-in replaces it, with a warning (the
   * seed's {@code sleep} container step and promokit's built-in {@code sleep} share a name); two
   * definitions of one name are an error.
   */
  static StepRegistry registry(List<CustomStepDefinition> definitions, PrintWriter warnings) {
    Set<String> builtins = BuiltinSteps.all().stream().map(RegisteredStep::name).collect(Collectors.toSet());
    StepRegistry.Builder builder = StepRegistry.builder().withBuiltins();
    Set<String> defined = new HashSet<>();
    for (CustomStepDefinition definition : definitions) {
      if (builtins.contains(definition.name()) && defined.add(definition.name())) {
        warnings.println(definition.location() + ": warning: the container step \"" + definition.name()
            + "\" replaces the built-in step of the same name");
        builder.replace(definition);
      } else {
        defined.add(definition.name());
        try {
          builder.register(definition);
        } catch (IllegalArgumentException e) {
          throw new BadInputException(definition.location() + ": " + e.getMessage());
        }
      }
    }
    warnings.flush();
    return builder.build();
  }

  private static DocumentSet loadPaths(List<Path> paths, String option) {
    for (Path p : paths) {
      requireExists(p, option);
    }
    return paths.isEmpty() ? DocumentSet.empty() : PromotionDocuments.loadAll(paths);
  }

  private static void requireExists(Path path, String what) {
    if (!Files.exists(path)) {
      throw new BadInputException(what + ": " + path + ": no such file or folder");
    }
  }
}
