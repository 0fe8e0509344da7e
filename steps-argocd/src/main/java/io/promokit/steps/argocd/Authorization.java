package io.promokit.steps.argocd;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Kargo's rule for who may change an Application: its annotation {@code kargo.akuity.io/authorized-stage} lists
 * {@code <project>:<stage>} entries, separated by commas (whitespace around entries and their parts ignored); the
 * promotion's project and stage must be one of them. Globs are refused, as in Kargo since globs were dropped.
 */
final class Authorization {

  private Authorization() {}

  /** Why the Stage may not change the Application, or empty when it may. */
  static Optional<String> refusal(Application app, String project, String stage) {
    String wanted = project + ":" + stage;
    String value = app.annotations().get(Application.AUTHORIZED_STAGE);
    if (value == null) {
      return Optional.of("it has no annotation " + Application.AUTHORIZED_STAGE + "; add "
          + Application.AUTHORIZED_STAGE + ": \"" + wanted + "\" to it");
    }
    List<String[]> entries;
    try {
      entries = parse(value);
    } catch (IllegalArgumentException e) {
      return Optional.of("its annotation " + Application.AUTHORIZED_STAGE + " (\"" + value + "\") is invalid: "
          + e.getMessage());
    }
    for (String[] entry : entries) {
      if (entry[0].equals(project) && entry[1].equals(stage)) {
        return Optional.empty();
      }
    }
    return Optional.of("its annotation " + Application.AUTHORIZED_STAGE + " is \"" + value + "\", which does not list \""
        + wanted + "\"");
  }

  /** The entries as {@code [project, stage]}. */
  static List<String[]> parse(String value) {
    List<String[]> out = new ArrayList<>();
    for (String raw : value.split(",", -1)) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int colon = entry.indexOf(':');
      String project = colon < 0 ? "" : entry.substring(0, colon).trim();
      String stage = colon < 0 ? "" : entry.substring(colon + 1).trim();
      if (project.isEmpty() || stage.isEmpty()) {
        throw new IllegalArgumentException("entry \"" + entry + "\" is not of the form <project>:<stage>");
      }
      if (project.contains("*") || stage.contains("*")) {
        throw new IllegalArgumentException("entry \"" + entry + "\" is a glob, which Kargo no longer supports");
      }
      out.add(new String[] {project, stage});
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("it lists no Stage");
    }
    return out;
  }
}
