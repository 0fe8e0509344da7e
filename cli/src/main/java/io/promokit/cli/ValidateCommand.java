package io.promokit.cli;

import io.promokit.documents.Problem;
import io.promokit.validation.ValidationReport;
import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code promokit validate}: every problem of a template, its tasks and step definitions, offline. */
final class ValidateCommand implements Subcommand {

  Path templateFile;

  final TemplateInputs inputs = new TemplateInputs();

  @Override
  public Arguments arguments() {
    Arguments arguments = new Arguments("promokit validate",
        "Check a template, its tasks and the step definitions it uses, without running anything.",
        "Exit codes: 0 no errors (warnings allowed), 2 errors or unreadable input.");
    arguments.positional("TEMPLATE", "The template: a bare template or a Kargo Stage.",
        Arguments.path("TEMPLATE", file -> templateFile = file));
    inputs.declare(arguments);
    return arguments;
  }

  @Override
  public int call(PrintWriter out, PrintWriter err) {
    try (StepModules modules = new StepModules()) {
      TemplateInputs.Loaded loaded = inputs.load(templateFile, modules, err);
      ValidationReport report = loaded.report();
      print(report, err);
      if (!report.isValid()) {
        return ExitCodes.BAD_INPUT;
      }
      out.printf("%s: valid (%s, %s)%n", templateFile, Counted.of(loaded.template().steps().size(), "step"),
          Counted.of(report.warnings().size(), "warning"));
      out.flush();
      return ExitCodes.OK;
    } catch (BadInputException e) {
      err.println("promokit validate: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
  }

  /** Errors first, then warnings, one per line ({@code file:line:col: error: step "a": config.x: message}). */
  static void print(ValidationReport report, PrintWriter err) {
    for (Problem p : report.errors()) {
      err.println(p);
    }
    for (Problem p : report.warnings()) {
      err.println(p);
    }
    err.flush();
  }
}
