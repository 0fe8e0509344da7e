package io.promokit.cli;

import io.promokit.expressions.ClosestNames;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The top-level {@code promokit} command: picks the subcommand, parses its arguments and runs it. */
public final class PromokitCommand {

  private static final String DESCRIPTION = "Run, validate and render Kargo-compatible promotion templates.";

  private static final String HELP_COMMAND = "help";

  /** The subcommands, in the order the usage lists them. */
  static final List<String> SUBCOMMANDS = List.of("run", "validate", "render", "steps", "reap");

  private PromokitCommand() {}

  /**
   * The subcommand of this name, or null; only the one that runs is built. A switch, not a map of constructor
   * references: each method reference costs a cold start ~0.1 ms to link.
   */
  private static Subcommand subcommand(String name) {
    return switch (name) {
      case "run" -> new RunCommand();
      case "validate" -> new ValidateCommand();
      case "render" -> new RenderCommand();
      case "steps" -> new StepsCommand();
      case "reap" -> new ReapCommand();
      default -> null;
    };
  }

  /** Runs the command line on the process's stdout and stderr and returns the exit code (no {@code System.exit}). */
  public static int execute(String... args) {
    Charset charset = Charset.defaultCharset();
    return execute(new PrintWriter(new OutputStreamWriter(System.out, charset)),
        new PrintWriter(new OutputStreamWriter(System.err, charset)), args);
  }

  /** Runs the command line, printing to these writers, and returns the exit code. */
  static int execute(PrintWriter out, PrintWriter err, String... args) {
    try {
      return dispatch(out, err, List.of(args));
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static int dispatch(PrintWriter out, PrintWriter err, List<String> args) {
    if (args.isEmpty()) {
      err.println("promokit: no command given; try 'promokit run TEMPLATE', or 'promokit --help' for the commands");
      return ExitCodes.BAD_INPUT;
    }
    String first = args.get(0);
    switch (first) {
      case "-h", Arguments.HELP -> {
        out.print(topLevelUsage());
        return ExitCodes.OK;
      }
      case "-V", Arguments.VERSION -> {
        out.println(VersionProvider.version());
        return ExitCodes.OK;
      }
      case HELP_COMMAND -> {
        return help(out, err, args.subList(1, args.size()));
      }
      default -> {
        // a subcommand, or what is wrong
      }
    }
    if (first.startsWith("-")) {
      return badInput(err, "promokit", ArgumentParser.unknownOption(ArgumentParser.optionName(first), List.of()));
    }
    Subcommand command = subcommand(first);
    if (command == null) {
      return unknownCommand(err, first);
    }
    Arguments arguments = command.arguments();
    ArgumentParser.Outcome outcome;
    try {
      outcome = ArgumentParser.parse(arguments, args.subList(1, args.size()));
    } catch (BadArgumentsException | BadInputException e) {
      return badInput(err, arguments.command(), e.getMessage());
    }
    return switch (outcome) {
      case HELP -> {
        out.print(UsageText.of(arguments));
        yield ExitCodes.OK;
      }
      case VERSION -> {
        out.println(VersionProvider.version());
        yield ExitCodes.OK;
      }
      case RUN -> command.call(out, err);
    };
  }

  /** {@code promokit help [COMMAND]}: the usage of the command, or of promokit. */
  private static int help(PrintWriter out, PrintWriter err, List<String> args) {
    if (args.isEmpty()) {
      out.print(topLevelUsage());
      return ExitCodes.OK;
    }
    Subcommand command = subcommand(args.get(0));
    if (command == null) {
      return args.get(0).equals(HELP_COMMAND) ? help(out, err, List.of()) : unknownCommand(err, args.get(0));
    }
    out.print(UsageText.of(command.arguments()));
    return ExitCodes.OK;
  }

  private static String topLevelUsage() {
    Map<String, String> commands = new LinkedHashMap<>();
    for (String name : SUBCOMMANDS) {
      commands.put(name, subcommand(name).arguments().description().get(0));
    }
    commands.put(HELP_COMMAND, "Display help information about the specified command.");
    return UsageText.ofTopLevel(DESCRIPTION, commands);
  }

  private static int unknownCommand(PrintWriter err, String given) {
    TreeSet<String> commands = new TreeSet<>(SUBCOMMANDS);
    commands.add(HELP_COMMAND);
    List<String> closest = ClosestNames.of(given, commands, 1);
    return badInput(err, "promokit", "unknown command \"" + given + "\""
        + (closest.isEmpty() ? "; the commands are " + String.join(", ", commands)
            : "; did you mean " + closest.get(0) + "?"));
  }

  /**
   * A command line that does not parse: one line naming what is wrong (an unknown command with the closest
   * one, an unknown option, a bad value) and where to read more, not the whole usage; exit 2.
   */
  private static int badInput(PrintWriter err, String command, String message) {
    err.println(command + ": " + firstLine(message) + " (see '" + command + " --help')");
    return ExitCodes.BAD_INPUT;
  }

  private static String firstLine(String message) {
    String text = message == null ? "invalid input" : message.strip();
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

}
