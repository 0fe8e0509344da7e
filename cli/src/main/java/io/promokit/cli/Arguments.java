package io.promokit.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What one command accepts on its command line: options (flags, valued, repeatable), positional parameters in
 * order, and groups of mutually exclusive options, each with the code that stores its value in the command.
 * {@link ArgumentParser} reads a command line against it and {@link UsageText} prints it as help.
 *
 * <p>Declared in code rather than with annotations read by reflection: the command starts in a fraction of the
 * time (reflection, annotation proxies and a Java 5 library that class-data sharing cannot archive cost about
 * half of a short command's run).
 */
final class Arguments {

  /** An option: a flag when it has no label, else it takes one value per occurrence. */
  record Option(String name, String label, String description, boolean repeatable, Consumer<String> sink,
      int group) {

    boolean isFlag() {
      return label == null;
    }

    /** How messages name it: {@code '--var' (NAME=VALUE)} or {@code '--quiet'}. */
    String display() {
      return isFlag() ? "'" + name + "'" : "'" + name + "' (" + label + ")";
    }

    /** How the usage shows it: {@code --var=NAME=VALUE} or {@code --quiet}. */
    String synopsis() {
      return isFlag() ? name : name + "=" + label;
    }
  }

  /** A required positional parameter. */
  record Positional(String label, String description, Consumer<String> sink) {}

  /** A group of mutually exclusive options; a required group needs exactly one of them. */
  record Group(boolean required) {}

  /** The help options every command has. */
  static final String HELP = "--help";

  static final String VERSION = "--version";

  private final String command;
  private final List<String> description;
  private final List<Option> options = new ArrayList<>();
  private final List<Positional> positionals = new ArrayList<>();
  private final List<Group> groups = new ArrayList<>();
  private int currentGroup = -1;

  /**
   * @param command the command as messages name it ({@code promokit run})
   * @param description the help's paragraphs
   */
  Arguments(String command, String... description) {
    this.command = command;
    this.description = List.of(description);
  }

  String command() {
    return command;
  }

  List<String> description() {
    return description;
  }

  List<Option> options() {
    return options;
  }

  List<Positional> positionals() {
    return positionals;
  }

  List<Group> groups() {
    return groups;
  }

  /** An option without a value. */
  Arguments flag(String name, String description, Runnable set) {
    return add(new Option(name, null, description, false, value -> set.run(), currentGroup));
  }

  /** An option with one value, given at most once. */
  Arguments value(String name, String label, String description, Consumer<String> set) {
    return add(new Option(name, label, description, false, set, currentGroup));
  }

  /** An option with one value per occurrence, given any number of times. */
  Arguments repeatable(String name, String label, String description, Consumer<String> add) {
    return add(new Option(name, label, description, true, add, currentGroup));
  }

  /** The next positional parameter, required. */
  Arguments positional(String label, String description, Consumer<String> set) {
    positionals.add(new Positional(label, description, set));
    return this;
  }

  /** Mutually exclusive options: those {@code declarations} adds; when {@code required}, one must be given. */
  Arguments oneOf(boolean required, Consumer<Arguments> declarations) {
    groups.add(new Group(required));
    currentGroup = groups.size() - 1;
    try {
      declarations.accept(this);
    } finally {
      currentGroup = -1;
    }
    return this;
  }

  /** {@code (--template=STRING | --config=FILE)}: a group's options as the usage and messages show them. */
  String groupSynopsis(int group) {
    List<String> names = new ArrayList<>();
    for (Option o : options) {
      if (o.group() == group) {
        names.add(o.synopsis());
      }
    }
    return "(" + String.join(" | ", names) + ")";
  }

  /** The option of that name, if declared (the help options are not). */
  Option option(String name) {
    for (Option o : options) {
      if (o.name().equals(name)) {
        return o;
      }
    }
    return null;
  }

  private Arguments add(Option option) {
    if (option(option.name()) != null || option.name().equals(HELP) || option.name().equals(VERSION)) {
      throw new IllegalStateException(command + " declares " + option.name() + " twice");
    }
    options.add(option);
    return this;
  }

  // ---- value conversions, each failing with a message that names the option ----

  /** A value that is a file-system path. */
  static Consumer<String> path(String option, Consumer<Path> set) {
    return value -> {
      try {
        set.accept(Path.of(value));
      } catch (InvalidPathException e) {
        throw new BadArgumentsException("Invalid value for option '" + option + "': '" + value
            + "' is not a path (" + e.getReason() + ")");
      }
    };
  }

  /** A {@code KEY=VALUE} value, put into the map (a later one for the same key wins). */
  static Consumer<String> keyValue(String option, String label, Map<String, String> into) {
    return value -> {
      int eq = value.indexOf('=');
      if (eq <= 0) {
        throw new BadArgumentsException("Value for option '" + option + "' (" + label + ") should be in "
            + label + " format but was '" + value + "'");
      }
      into.put(value.substring(0, eq), value.substring(eq + 1));
    };
  }

  /** One of an enum's constants, by its exact name. */
  static <E extends Enum<E>> Consumer<String> choice(String option, Class<E> type, Consumer<E> set) {
    return value -> {
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equals(value)) {
          set.accept(constant);
          return;
        }
      }
      throw new BadArgumentsException("Invalid value for option '" + option + "': expected one of "
          + Arrays.toString(type.getEnumConstants()) + " (case-sensitive) but was '" + value + "'");
    };
  }
}
