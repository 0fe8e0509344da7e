package io.promokit.cli;

import io.promokit.CustomStepDefinition;
import io.promokit.RegisteredStep;
import io.promokit.StepRegistry;
import io.promokit.documents.DocumentException;
import io.promokit.documents.DocumentReading;
import io.promokit.documents.DocumentSet;
import io.promokit.documents.Problem;
import io.promokit.documents.PromotionDocuments;
import io.promokit.documents.PromotionTask;
import io.promokit.documents.PromotionTemplate;
import io.promokit.documents.SourceLocation;
import io.promokit.documents.TaskCatalog;
import io.promokit.documents.TaskRef;
import io.promokit.documents.VarSpec;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.spi.CapabilityProvider;
import io.promokit.spi.Quantity;
import io.promokit.steps.BuiltinSteps;
import io.promokit.validation.PromotionValidator;
import io.promokit.validation.ValidationReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code --steps} and {@code --tasks} options shared by {@code run}, {@code validate} and {@code steps}. */
final class TemplateInputs {

  final List<Path> steps = new ArrayList<>();

  String maxDocumentSize;

  final List<Path> tasks = new ArrayList<>();

  /** Declares the options. */
  void declare(Arguments arguments) {
    arguments.repeatable("--steps", "PATH",
        "CustomPromotionStep file or folder (repeatable; folders: every *.yaml/*.yml).",
        Arguments.path("--steps", steps::add));
    arguments.value("--max-document-size", "SIZE",
        "The largest template, task or step definition file read, in bytes or with a Ki/Mi suffix"
            + " (default: 2Mi); larger files are refused before parsing.",
        size -> maxDocumentSize = size);
    arguments.repeatable("--tasks", "PATH", "PromotionTask / ClusterPromotionTask file or folder (repeatable).",
        Arguments.path("--tasks", tasks::add));
  }

  /**
   * What a template run needs: the template (null when none could be read), its tasks, a registry with
   * built-ins and definitions, and every problem found while reading them. With problems, the rest is what
   * could be read despite them: good for reporting more, never for running.
   */
  record Loaded(PromotionTemplate template, TaskCatalog tasks, StepRegistry registry,
      List<CustomStepDefinition> definitions, List<RegisteredStep> moduleSteps, List<Problem> problems,
      boolean stepsGiven) {

    /**
     * The registry again, with these steps in place of the same-named module steps (the Argo CD steps bound to
     * {@code run}'s cluster); the definitions' warnings were printed already.
     */
    StepRegistry registryWith(List<RegisteredStep> replacements) {
      return TemplateInputs.registry(definitions, StepModules.replacing(moduleSteps, replacements),
          new PrintWriter(java.io.Writer.nullWriter()), new ArrayList<>());
    }

    /**
     * The document problems, then what {@link PromotionValidator} finds in the template (when one was
     * read, even partly), so one report holds everything.
     */
    ValidationReport report() {
      return report(Map.of());
    }

    /**
     * As {@link #report()}, for a run whose {@code --var}s override or add global vars: the template is
     * checked with them, so a var given on the command line is not reported as undefined.
     */
    ValidationReport report(Map<String, String> varOverrides) {
      List<Problem> all = new ArrayList<>(problems);
      if (template != null) {
        ValidationReport found = PromotionValidator.validate(withVars(template, varOverrides), registry, tasks,
            ExpressionResolver.create(), CapabilityProvider.NONE);
        for (Problem p : found.errors()) {
          all.add(withStepsHint(p));
        }
        all.addAll(found.warnings());
      }
      return ValidationReport.of(all);
    }

    /**
     * An unknown step with a hint that its definition may not have been given: for any unknown step when no
     * {@code --steps} was given, else when its name is like no registered step's (a custom step of another
     * file).
     */
    private Problem withStepsHint(Problem problem) {
      boolean unknownStep = "uses".equals(problem.configPath()) && problem.message().startsWith("unknown step \"");
      if (!unknownStep || (stepsGiven && problem.message().contains("; did you mean"))) {
        return problem;
      }
      String hint = stepsGiven ? "; is its CustomPromotionStep in a file not given with --steps?"
          : (problem.message().endsWith("?") ? " or " : "; ")
              + "did you forget --steps? (custom steps are read from the CustomPromotionStep files it names)";
      return new Problem(problem.severity(), problem.location(), problem.alias(), problem.configPath(),
          problem.message() + hint);
    }

    /** The template with the overrides applied as the engine applies them: in place, new ones last. */
    private static PromotionTemplate withVars(PromotionTemplate template, Map<String, String> overrides) {
      if (overrides.isEmpty()) {
        return template;
      }
      Map<String, String> remaining = new LinkedHashMap<>(overrides);
      List<VarSpec> vars = new ArrayList<>();
      for (VarSpec v : template.vars()) {
        vars.add(remaining.containsKey(v.name()) ? new VarSpec(v.name(), remaining.remove(v.name()), v.location()) : v);
      }
      remaining.forEach((name, value) -> vars.add(new VarSpec(name, value, COMMAND_LINE)));
      return new PromotionTemplate(template.name(), vars, template.steps(), template.location());
    }
  }

  /** Where a var given with {@code --var} comes from, for messages. */
  private static final SourceLocation COMMAND_LINE = new SourceLocation("--var", 0, 0);

  /**
   * Reads the template file (which may also hold tasks and step definitions) and the {@code --tasks} and
   * {@code --steps} paths, collecting every problem of every file.
   *
   * @param modules the step modules to register besides the built-ins
   * @throws BadInputException when a path does not exist
   */
  Loaded load(Path templateFile, StepModules modules, PrintWriter warnings) {
    requireExists(templateFile, "template");
    Set<Problem> problems = new LinkedHashSet<>(); // a file given twice reports its problems once
    DocumentReading templateRead = PromotionDocuments.read(List.of(templateFile), maxDocumentSize());
    problems.addAll(templateRead.problems());
    DocumentReading tasksRead = readPaths(tasks, "--tasks");
    DocumentReading stepsRead = readPaths(steps, "--steps");
    problems.addAll(tasksRead.problems());
    problems.addAll(stepsRead.problems());
    DocumentSet all = templateRead.documents().merge(tasksRead.documents()).merge(stepsRead.documents());
    PromotionTemplate template = singleTemplate(templateRead, problems);
    List<CustomStepDefinition> definitions = all.definitions(CustomStepDefinition.class);
    List<RegisteredStep> moduleSteps = modules.steps();
    StepRegistry registry = registry(definitions, moduleSteps, warnings, problems);
    return new Loaded(template, taskCatalog(all, problems), registry, definitions, moduleSteps,
        List.copyOf(problems), !steps.isEmpty());
  }

  /** Only the step definitions, for {@code promokit steps}; their problems are added to {@code problems}. */
  List<CustomStepDefinition> loadDefinitions(Collection<Problem> problems) {
    DocumentReading read = readPaths(steps, "--steps");
    problems.addAll(read.problems());
    return read.documents().definitions(CustomStepDefinition.class);
  }

  /**
   * The template file's only template, or null. That the file holds none is only a problem of its own when
   * the file had no other problem (a broken Stage is not also "no template").
   */
  private static PromotionTemplate singleTemplate(DocumentReading templateRead, Set<Problem> problems) {
    DocumentSet documents = templateRead.documents();
    try {
      return documents.singleTemplate();
    } catch (DocumentException e) {
      if (templateRead.isValid() || !documents.templates().isEmpty()) {
        problems.addAll(e.problems());
      }
      return null;
    }
  }

  /** The tasks; each task defined again (same kind and name) is a problem and left out. */
  private static TaskCatalog taskCatalog(DocumentSet documents, Set<Problem> problems) {
    Map<TaskRef, PromotionTask> first = new LinkedHashMap<>();
    for (PromotionTask task : documents.tasks()) {
      PromotionTask previous = first.putIfAbsent(task.ref(), task);
      if (previous != null) {
        try {
          TaskCatalog.of(List.of(previous, task));
        } catch (DocumentException e) {
          problems.addAll(e.problems());
        }
      }
    }
    return TaskCatalog.of(first.values());
  }

  /**
   * Built-ins, the step modules' steps ({@link StepModules#steps()}) plus the definitions. A definition named like a
   * built-in or module step replaces it, with a warning, except for promokit's own {@code sleep} (not a Kargo
   * step: the seed's {@code sleep} container step replacing it is what a Kargo project expects); a second
   * definition of one name is a problem and left out.
   */
  static StepRegistry registry(List<CustomStepDefinition> definitions, List<RegisteredStep> moduleSteps,
      PrintWriter warnings, Collection<Problem> problems) {
    Set<String> builtins = new HashSet<>();
    for (RegisteredStep step : BuiltinSteps.all()) { // loops, not streams: this is on every command's start
      builtins.add(step.name());
    }
    for (RegisteredStep step : moduleSteps) {
      builtins.add(step.name());
    }
    StepRegistry.Builder builder = StepRegistry.builder().withBuiltins().register(moduleSteps);
    Set<String> defined = new HashSet<>();
    for (CustomStepDefinition definition : definitions) {
      if (builtins.contains(definition.name()) && defined.add(definition.name())) {
        if (!BuiltinSteps.isPromokitOnly(definition.name())) {
          warnings.println(definition.location() + ": warning: the container step \"" + definition.name()
              + "\" replaces the built-in step of the same name");
        }
        builder.replace(definition);
      } else {
        defined.add(definition.name());
        try {
          builder.register(definition);
        } catch (IllegalArgumentException e) {
          problems.add(Problem.error(definition.location(), null, "metadata.name", e.getMessage()));
        }
      }
    }
    warnings.flush();
    return builder.build();
  }

  private DocumentReading readPaths(List<Path> paths, String option) {
    for (Path p : paths) {
      requireExists(p, option);
    }
    return PromotionDocuments.read(paths, maxDocumentSize());
  }

  /** {@code --max-document-size} in bytes. */
  private long maxDocumentSize() {
    if (maxDocumentSize == null) {
      return PromotionDocuments.DEFAULT_MAX_DOCUMENT_SIZE;
    }
    long bytes;
    try {
      bytes = Quantity.parseBytes(maxDocumentSize);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--max-document-size \"" + maxDocumentSize + "\": not a size (use bytes, or a"
          + " suffix such as Ki or Mi: 4Mi)", e);
    }
    if (bytes <= 0) {
      throw new BadInputException("--max-document-size \"" + maxDocumentSize + "\": must be more than 0 bytes");
    }
    return bytes;
  }

  private static void requireExists(Path path, String what) {
    if (!Files.exists(path)) {
      throw new BadInputException(what + ": " + path + ": no such file or folder");
    }
  }
}
