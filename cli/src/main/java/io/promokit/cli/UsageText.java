package io.promokit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code --help} text of a command, from its {@link Arguments}, wrapped at {@value #WIDTH} columns. */
final class UsageText {

  static final int WIDTH = 100;

  /** The widest left column; a longer option name puts its description on the next line. */
  private static final int MAX_LEFT = 34;

  private static final String[][] HELP_OPTIONS = {
    {"  -h, --help", "Show this help message and exit."},
    {"  -V, --version", "Print version information and exit."}
  };

  private UsageText() {}

  /** The help of one command: synopsis, description, parameters and options. */
  static String of(Arguments arguments) {
    StringBuilder out = new StringBuilder();
    wrap(out, "Usage: ", synopsis(arguments), "Usage: ".length() + arguments.command().length() + 1);
    arguments.description().forEach(paragraph -> wrap(out, "", paragraph, 0));
    List<String[]> rows = new ArrayList<>();
    for (Arguments.Positional p : arguments.positionals()) {
      rows.add(new String[] {"      " + p.label(), p.description()});
    }
    for (Arguments.Option o : sortedOptions(arguments)) {
      rows.add(new String[] {"      " + o.synopsis(), o.description()
          + (o.repeatable() && !o.description().contains("repeatable") ? " (repeatable)" : "")});
    }
    rows.addAll(List.of(HELP_OPTIONS));
    table(out, rows);
    return out.toString();
  }

  /** The help of the top-level command: its options and the commands with their first description line. */
  static String ofTopLevel(String description, Map<String, String> commands) {
    StringBuilder out = new StringBuilder();
    out.append("Usage: promokit [-hV] [COMMAND]\n");
    wrap(out, "", description, 0);
    table(out, List.of(HELP_OPTIONS));
    out.append("Commands:\n");
    List<String[]> rows = new ArrayList<>();
    commands.forEach((name, summary) -> rows.add(new String[] {"  " + name, summary}));
    table(out, rows);
    return out.toString();
  }

  private static String synopsis(Arguments arguments) {
    List<String> parts = new ArrayList<>();
    parts.add(arguments.command());
    parts.add("[-hV]");
    for (Arguments.Option o : sortedOptions(arguments)) {
      if (o.group() < 0) {
        parts.add("[" + o.synopsis() + "]" + (o.repeatable() ? "..." : ""));
      }
    }
    for (int g = 0; g < arguments.groups().size(); g++) {
      String group = arguments.groupSynopsis(g);
      parts.add(arguments.groups().get(g).required() ? group : "[" + group.substring(1, group.length() - 1) + "]");
    }
    arguments.positionals().forEach(p -> parts.add(p.label()));
    return String.join(" ", parts);
  }

  private static List<Arguments.Option> sortedOptions(Arguments arguments) {
    List<Arguments.Option> sorted = new ArrayList<>(arguments.options());
    sorted.sort((a, b) -> a.name().compareTo(b.name()));
    return sorted;
  }

  private static void table(StringBuilder out, List<String[]> rows) {
    int left = 0;
    for (String[] row : rows) {
      if (row[0].length() <= MAX_LEFT) {
        left = Math.max(left, row[0].length());
      }
    }
    int indent = left + 2;
    for (String[] row : rows) {
      if (row[0].length() > left) {
        out.append(row[0]).append('\n');
        wrap(out, " ".repeat(indent), row[1], indent);
      } else {
        wrap(out, row[0] + " ".repeat(indent - row[0].length()), row[1], indent);
      }
    }
  }

  /** Appends {@code first + text}, wrapped at word boundaries, continuation lines indented. */
  private static void wrap(StringBuilder out, String first, String text, int indent) {
    StringBuilder line = new StringBuilder(first);
    int lineStart = first.length();
    for (String word : text.split(" ")) {
      if (line.length() > lineStart && line.length() + 1 + word.length() > WIDTH) {
        out.append(line.toString().stripTrailing()).append('\n');
        line.setLength(0);
        line.append(" ".repeat(indent));
        lineStart = indent;
      } else if (line.length() > lineStart) {
        line.append(' ');
      }
      line.append(word);
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }
}
