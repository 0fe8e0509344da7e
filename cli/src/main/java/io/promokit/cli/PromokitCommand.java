package io.promokit.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code promokit} command; the work is done by its subcommands. */
@Command(
    name = "promokit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run, validate and render Kargo-compatible promotion templates.")
public final class PromokitCommand implements Runnable {

  /** The subcommands, in the order the usage lists them. */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> all = new LinkedHashMap<>();
    all.put("run", RunCommand::new);
    all.put("validate", ValidateCommand::new);
    all.put("render", RenderCommand::new);
    all.put("steps", StepsCommand::new);
    all.put("help", CommandLine.HelpCommand::new);
    return all;
  }

  /** Runs the command line and returns the exit code, without calling {@code System.exit}. */
  public static int execute(String... args) {
    return newCommandLine(args).execute(args);
  }

  /** The command with every subcommand. */
  static CommandLine newCommandLine() {
    return newCommandLine(new String[0]);
  }

  /**
   * The command for these arguments: when they start with a subcommand's name, only that subcommand is built
   * (picocli builds each subcommand's model, options and mixins eagerly: {@code run}'s cost a short command's
   * start); otherwise (no arguments, top-level options, {@code help}) every subcommand.
   */
  static CommandLine newCommandLine(String[] args) {
    CommandLine cmd = new CommandLine(new PromokitCommand());
    String first = args.length > 0 ? args[0] : null;
    if (first != null && SUBCOMMANDS.containsKey(first) && !first.equals("help")) {
      cmd.addSubcommand(first, SUBCOMMANDS.get(first).get());
    } else {
      SUBCOMMANDS.forEach((name, command) -> cmd.addSubcommand(name, command.get()));
    }
    // Bad input (unknown option, missing parameter) exits 2 as CLI.md says (set after the subcommands are
    // added: picocli passes a setting down only to the subcommands present).
    cmd.setExitCodeExceptionMapper(e -> ExitCodes.BAD_INPUT);
    cmd.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.BAD_INPUT);
    for (CommandLine sub : cmd.getSubcommands().values()) {
      sub.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.BAD_INPUT);
    }
    return cmd;
  }
}
