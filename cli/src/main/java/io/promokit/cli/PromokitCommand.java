package io.promokit.cli;

import io.promokit.expressions.ClosestNames;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The top-level {@code promokit} command; the work is done by its subcommands. */
@Command(
    name = "promokit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run, validate and render Kargo-compatible promotion templates.")
public final class PromokitCommand implements Callable<Integer> {

  /** The subcommands, in the order the usage lists them. */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> all = new LinkedHashMap<>();
    all.put("run", RunCommand::new);
    all.put("validate", ValidateCommand::new);
    all.put("render", RenderCommand::new);
    all.put("steps", StepsCommand::new);
    all.put("reap", ReapCommand::new);
    all.put("help", CommandLine.HelpCommand::new);
    return all;
  }

  /** No command: one line saying what to type, exit 2 (CLI.md: bad input). */
  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    err.println("promokit: no command given; try 'promokit run TEMPLATE', or 'promokit --help' for the commands");
    err.flush();
    return ExitCodes.BAD_INPUT;
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
   * start); otherwise (no arguments, top-level options, {@code help}, an unknown command) every subcommand.
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
    cmd.setParameterExceptionHandler(PromokitCommand::badInput);
    for (CommandLine sub : cmd.getSubcommands().values()) {
      sub.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.BAD_INPUT);
    }
    return cmd;
  }

  /**
   * A command line that does not parse: one line naming what is wrong (an unknown command with the closest
   * one, an unknown option, a bad value) and where to read more, not the whole usage; exit 2.
   */
  static int badInput(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    StringBuilder line = new StringBuilder(name).append(": ");
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched && cmd.getParent() == null
        && !unmatched.isUnknownOption() && !unmatched.getUnmatched().isEmpty()) {
      String given = unmatched.getUnmatched().get(0);
      Set<String> commands = new TreeSet<>(cmd.getSubcommands().keySet());
      line.append("unknown command \"").append(given).append('"');
      List<String> closest = ClosestNames.of(given, commands, 1);
      line.append(closest.isEmpty() ? "; the commands are " + String.join(", ", commands)
          : "; did you mean " + closest.get(0) + "?");
    } else if (e instanceof CommandLine.UnmatchedArgumentException unmatched && unmatched.isUnknownOption()) {
      // Only the option: picocli also lists the arguments after it (such as the option's value).
      String given = unmatched.getUnmatched().get(0);
      line.append("unknown option \"").append(given).append('"');
      List<String> options = cmd.getCommandSpec().options().stream()
          .flatMap(o -> Arrays.stream(o.names())).toList();
      List<String> closest = ClosestNames.of(given.split("=", 2)[0], options, 1);
      if (!closest.isEmpty()) {
        line.append("; did you mean ").append(closest.get(0)).append('?');
      }
    } else {
      line.append(firstLine(e.getMessage()));
    }
    line.append(" (see '").append(name).append(" --help')");
    PrintWriter err = cmd.getErr();
    err.println(line);
    err.flush();
    return ExitCodes.BAD_INPUT;
  }

  private static String firstLine(String message) {
    String text = message == null ? "invalid input" : message.strip();
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
