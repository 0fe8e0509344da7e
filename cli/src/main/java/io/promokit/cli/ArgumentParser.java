package io.promokit.cli;

import io.promokit.expressions.ClosestNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a command line against a command's {@link Arguments}, storing each value as it comes. Options are
 * {@code --name value} or {@code --name=value}; {@code --} ends the options; {@code -h}/{@code --help} and
 * {@code -V}/{@code --version} anywhere before it ask for help or the version instead of a run.
 */
final class ArgumentParser {

  /** What the command line asks for. */
  enum Outcome { RUN, HELP, VERSION }

  private ArgumentParser() {}

  /**
   * Parses the tokens into the command's fields.
   *
   * @throws BadArgumentsException naming the first thing wrong (an unknown option with the closest known one, a
   *     missing or repeated value, two exclusive options, a missing parameter)
   */
  static Outcome parse(Arguments arguments, List<String> tokens) {
    Outcome asked = helpOrVersion(tokens);
    if (asked != Outcome.RUN) {
      return asked;
    }
    Set<String> given = new HashSet<>();
    String[] chosenInGroup = new String[arguments.groups().size()];
    int positional = 0;
    boolean optionsEnded = false;
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (!optionsEnded && token.equals("--")) {
        optionsEnded = true;
      } else if (!optionsEnded && token.startsWith("-") && token.length() > 1) {
        int eq = token.indexOf('=');
        String name = optionName(token);
        Arguments.Option option = arguments.option(name);
        if (option == null) {
          List<String> known = new ArrayList<>();
          arguments.options().forEach(o -> known.add(o.name()));
          throw new BadArgumentsException(unknownOption(name, known));
        }
        String value;
        if (option.isFlag()) {
          if (eq >= 0) {
            throw new BadArgumentsException("option '" + name + "' takes no value");
          }
          value = null;
        } else if (eq >= 0) {
          value = token.substring(eq + 1);
        } else if (i + 1 < tokens.size() && !isOptionName(arguments, tokens.get(i + 1))) {
          value = tokens.get(++i);
        } else {
          throw new BadArgumentsException("Missing required parameter for option " + option.display());
        }
        if (!given.add(name) && !option.repeatable()) {
          throw new BadArgumentsException("option " + option.display() + " should be specified only once");
        }
        if (option.group() >= 0) {
          String other = chosenInGroup[option.group()];
          if (other != null && !other.equals(name)) {
            throw new BadArgumentsException(other + " and " + name + " are mutually exclusive (give only one)");
          }
          chosenInGroup[option.group()] = name;
        }
        option.sink().accept(value);
      } else if (positional < arguments.positionals().size()) {
        arguments.positionals().get(positional++).sink().accept(token);
      } else {
        throw new BadArgumentsException("unexpected argument '" + token + "'");
      }
    }
    if (positional < arguments.positionals().size()) {
      throw new BadArgumentsException(
          "Missing required parameter: '" + arguments.positionals().get(positional).label() + "'");
    }
    for (int g = 0; g < chosenInGroup.length; g++) {
      if (chosenInGroup[g] == null && arguments.groups().get(g).required()) {
        throw new BadArgumentsException("Missing required argument (specify one of these): " + arguments.groupSynopsis(g));
      }
    }
    return Outcome.RUN;
  }

  private static Outcome helpOrVersion(List<String> tokens) {
    for (String token : tokens) {
      if (token.equals("--")) {
        break;
      }
      if (token.equals("-h") || token.equals(Arguments.HELP)) {
        return Outcome.HELP;
      }
      if (token.equals("-V") || token.equals(Arguments.VERSION)) {
        return Outcome.VERSION;
      }
    }
    return Outcome.RUN;
  }

  /** A token that names an option cannot be the previous option's value (it was forgotten). */
  private static boolean isOptionName(Arguments arguments, String token) {
    return arguments.option(optionName(token)) != null;
  }

  /** {@code --name} of {@code --name} or {@code --name=value}. */
  static String optionName(String token) {
    int eq = token.indexOf('=');
    return eq < 0 ? token : token.substring(0, eq);
  }

  /**
   * What an unknown option gets: its name, never a value given with it (which may be a secret), and the closest
   * known option (the help options included).
   */
  static String unknownOption(String name, List<String> known) {
    List<String> candidates = new ArrayList<>(known);
    candidates.add(Arguments.HELP);
    candidates.add(Arguments.VERSION);
    List<String> closest = ClosestNames.of(name, candidates, 1);
    return "unknown option \"" + name + "\"" + (closest.isEmpty() ? "" : "; did you mean " + closest.get(0) + "?");
  }
}
