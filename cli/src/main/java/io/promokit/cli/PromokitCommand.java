package io.promokit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code promokit} command; the work is done by its subcommands. */
@Command(
    name = "promokit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run, validate and render Kargo-compatible promotion templates.",
    subcommands = {
        RunCommand.class,
        ValidateCommand.class,
        RenderCommand.class,
        StepsCommand.class,
        ReapCommand.class,
        CommandLine.HelpCommand.class
    })
public final class PromokitCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** Runs the command line and returns the exit code, without calling {@code System.exit}. */
  public static int execute(String... args) {
    return newCommandLine().execute(args);
  }

  static CommandLine newCommandLine() {
    CommandLine cmd = new CommandLine(new PromokitCommand());
    // Bad input (unknown option, missing parameter) exits 2 as CLI.md says.
    cmd.setExitCodeExceptionMapper(e -> ExitCodes.BAD_INPUT);
    cmd.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.BAD_INPUT);
    for (CommandLine sub : cmd.getSubcommands().values()) {
      sub.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.BAD_INPUT);
    }
    return cmd;
  }
}
