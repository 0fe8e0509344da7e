package io.promokit.cli;

import io.promokit.documents.Problem;
import io.promokit.RegisteredStep;
import io.promokit.StepRegistry;
import io.promokit.validation.ValidationReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code promokit steps}: the registered steps with their kind and image. */
@Command(name = "steps", mixinStandardHelpOptions = true,
    description = "List registered steps: name, kind (built-in/container), image.")
final class StepsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin TemplateInputs inputs;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (StepModules modules = new StepModules()) {
      List<Problem> problems = new ArrayList<>();
      StepRegistry registry = TemplateInputs.registry(inputs.loadDefinitions(problems), modules.steps(), err, problems);
      if (!problems.isEmpty()) {
        ValidateCommand.print(ValidationReport.of(problems), err);
        return ExitCodes.BAD_INPUT;
      }
      List<RegisteredStep> steps = registry.steps();
      int width = Math.max(4, steps.stream().mapToInt(s -> s.name().length()).max().orElse(4));
      out.printf("%-" + width + "s  %-9s  %s%n", "NAME", "KIND", "IMAGE");
      for (RegisteredStep step : steps) {
        String image = step instanceof RegisteredStep.Container container ? container.definition().image() : "-";
        out.printf("%-" + width + "s  %-9s  %s%n", step.name(), step.kind().label(), image);
      }
      out.flush();
      return ExitCodes.OK;
    } catch (BadInputException | IllegalArgumentException e) {
      err.println("promokit steps: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
  }
}
