package io.promokit.cli;

import io.promokit.documents.Problem;
import io.promokit.RegisteredStep;
import io.promokit.StepRegistry;
import io.promokit.validation.ValidationReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code promokit steps}: the registered steps with their kind and image. */
final class StepsCommand implements Subcommand {

  final TemplateInputs inputs = new TemplateInputs();

  @Override
  public Arguments arguments() {
    Arguments arguments = new Arguments("promokit steps", "List registered steps: name, kind (built-in/container), image.");
    inputs.declare(arguments);
    return arguments;
  }

  @Override
  public int call(PrintWriter out, PrintWriter err) {
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
