package io.promokit.internal.validation;

import io.promokit.ConfigSchema;
import io.promokit.RegisteredStep;
import io.promokit.documents.PlannedStep;
import io.promokit.documents.Problem;
import io.promokit.internal.ConfigPath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A step's config must satisfy the config schema of its registration, as far as it is known before the run.
 *
 * <p>A value holding an expression is unknown until the step runs (it is checked then, on the evaluated
 * config, before every attempt). So a schema problem about such a value, or about anything inside it, is not
 * reported here. A problem about a map or list that holds such a value (for example "matches none of the
 * allowed forms") is reported only when it stays whatever the expression yields: the config is checked again
 * with every expression replaced by a string, a number, a boolean, null, an empty map, an empty list and each
 * {@code const}/{@code enum} value the schema names, and that map or list must have a problem every time. Problems
 * elsewhere (a misspelled key, a missing required field, a literal of the wrong type) are always reported.
 */
final class ConfigSchemaCheck implements ValidationCheck {

  /** Stand-ins for the value of an expression, one of each JSON type. */
  private static final List<Object> STAND_INS =
      Collections.unmodifiableList(Arrays.asList("", 0L, true, null, Map.of(), List.of()));
  /** At most this many const/enum values of a schema are tried as stand-ins too. */
  private static final int SCHEMA_STAND_INS = 32;

  @Override
  public void check(ValidationInput input, Consumer<Problem> problems) {
    List<PlannedStep> steps = input.plan().steps();
    for (int k = 0; k < steps.size(); k++) {
      PlannedStep step = steps.get(k);
      // Loops, not streams and Optional.map: this runs in every validation, and a cold start pays for each
      // lambda it links.
      RegisteredStep registered = input.registry().find(step.uses()).orElse(null);
      Optional<ConfigSchema> schema = registered == null ? Optional.empty() : registered.options().configSchema();
      if (schema.isEmpty()) {
        continue;
      }
      List<List<String>> expressionPaths = new ArrayList<>();
      for (ExpressionSite site : input.expressions().stepSites(k)) {
        if (site.kind() == SiteKind.CONFIG) {
          expressionPaths.add(ValuePaths.segments(site.path()));
        }
      }
      for (String message : knownProblems(schema.get(), step.config(), expressionPaths, input.findings())) {
        int split = pathEnd(message);
        String path = split < 0 ? null : message.substring(0, split);
        String reason = split < 0 ? message : message.substring(split + 2);
        problems.accept(Problem.error(step.locationOf(path), step.alias(), path, reason));
      }
    }
  }

  private static List<String> knownProblems(ConfigSchema schema, Map<String, Object> config,
      List<List<String>> expressionPaths, RegistryFindings findings) {
    List<String> messages = schema.validate(config, "config");
    if (expressionPaths.isEmpty() || messages.isEmpty()) {
      return messages;
    }
    List<Set<List<String>>> withStandIns = null;
    List<String> known = new ArrayList<>();
    for (String message : messages) {
      int split = pathEnd(message);
      List<String> path = split < 0 ? null : ValuePaths.segments(message.substring(0, split));
      if (path != null && expressionPaths.stream().anyMatch(e -> ValuePaths.startsWith(path, e))) {
        continue;
      }
      boolean aboutAHolder = path == null || expressionPaths.stream().anyMatch(e -> ValuePaths.startsWith(e, path));
      if (aboutAHolder) {
        if (withStandIns == null) {
          withStandIns = new ArrayList<>();
          for (Object standIn : findings.standInsOf(schema)) {
            withStandIns.add(problemPaths(schema.validate(replace(config, "config", expressionPaths, standIn),
                "config")));
          }
        }
        if (path != null && withStandIns.stream().allMatch(paths -> paths.contains(path))) {
          known.add(message);
        }
      } else {
        known.add(message);
      }
    }
    return known;
  }

  /** The paths the messages are about (a message's wording may change with the stand-in). */
  private static Set<List<String>> problemPaths(List<String> messages) {
    Set<List<String>> paths = new HashSet<>();
    for (String message : messages) {
      int split = pathEnd(message);
      List<String> path = split < 0 ? null : ValuePaths.segments(message.substring(0, split));
      if (path != null) {
        paths.add(path);
      }
    }
    return paths;
  }

  /** The JSON-type stand-ins, then the values the schema's {@code const} and {@code enum} keywords name. */
  static List<Object> standIns(ConfigSchema schema) {
    List<Object> standIns = new ArrayList<>(STAND_INS);
    LinkedHashSet<Object> named = new LinkedHashSet<>();
    collectNamedValues(schema.asMap(), named);
    named.stream().filter(v -> !standIns.contains(v)).limit(SCHEMA_STAND_INS).forEach(standIns::add);
    return Collections.unmodifiableList(standIns);
  }

  private static void collectNamedValues(Object schema, Set<Object> out) {
    if (schema instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if ("const".equals(e.getKey())) {
          out.add(e.getValue());
        } else if ("enum".equals(e.getKey()) && e.getValue() instanceof List<?> values) {
          out.addAll(values);
        } else {
          collectNamedValues(e.getValue(), out);
        }
      }
    } else if (schema instanceof List<?> list) {
      list.forEach(item -> collectNamedValues(item, out));
    }
  }

  /** A copy of the tree with the values at the given paths replaced by {@code standIn}. */
  private static Object replace(Object value, String path, List<List<String>> targets, Object standIn) {
    List<String> segments = ValuePaths.segments(path);
    if (targets.contains(segments)) {
      return standIn;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        copy.put(key, replace(e.getValue(), ConfigPath.key(path, key), targets, standIn));
      }
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        copy.add(replace(list.get(i), ConfigPath.index(path, i), targets, standIn));
      }
      return copy;
    }
    return value;
  }

  /** Where the leading path of a schema message ends (the {@code ": "} after it, outside quotes), or -1. */
  static int pathEnd(String message) {
    return ConfigPath.pathEnd(message);
  }
}
