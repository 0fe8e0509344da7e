package io.promokit.cli;

import io.promokit.expressions.ExpressionEnvironment;
import io.promokit.expressions.SecretMasker;
import io.promokit.expressions.SecretSource;
import io.promokit.expressions.StepStatusEntry;
import io.promokit.expressions.StepStatusView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --env} object of {@code promokit render} (CLI.md): {@code ctx}, {@code vars}, {@code outputs},
 * {@code task}, {@code config}, {@code secrets} (name → map) and {@code steps} (the history the status
 * functions see, from the alias in {@code ctx.meta.step.alias}).
 */
final class RenderEnvironment {
  private static final Set<String> FIELDS = Set.of("ctx", "vars", "outputs", "task", "config", "secrets", "steps");

  private RenderEnvironment() {}

  /**
   * Builds an expression environment from the env object.
   *
   * @param source where the env came from, for messages ({@code env.json} or {@code batch.jsonl:12})
   * @throws BadInputException naming the source and field when the object does not fit
   */
  static ExpressionEnvironment from(Object env, String source, SecretMasker masker) {
    Map<String, Object> map = env == null ? Map.of() : asMap(env, source, "env");
    for (String key : map.keySet()) {
      if (!FIELDS.contains(key)) {
        throw new BadInputException(source + ": unknown env field \"" + key + "\" (expected one of " + String.join(", ",
            List.of("ctx", "vars", "outputs", "task", "config", "secrets", "steps")) + ")");
      }
    }
    ExpressionEnvironment.Builder b = ExpressionEnvironment.builder().masker(masker);
    Map<String, Object> ctx = optionalMap(map, "ctx", source);
    b.variable("ctx", ctx);
    b.variable("vars", optionalMap(map, "vars", source));
    b.variable("outputs", optionalMap(map, "outputs", source));
    b.variable("config", optionalMap(map, "config", source));
    if (map.containsKey("task")) {
      b.variable("task", optionalMap(map, "task", source));
    }
    Map<String, Map<String, String>> secrets = secrets(optionalMap(map, "secrets", source), source);
    b.secrets(secrets.isEmpty() ? SecretSource.NONE : (name, scope) -> secrets.getOrDefault(name, Map.of()));
    b.statusView(StepStatusView.of(history(map.get("steps"), source), currentAlias(ctx)));
    return b.build();
  }

  /**
   * A batch line's env merged over the {@code --env} file's: objects are merged deeply, the line winning key
   * by key; any other value of the line (a list such as {@code steps}, a scalar, null) replaces the base's.
   * Neither input is changed.
   *
   * @param base the {@code --env} object, or null without one (already checked by {@link #from})
   * @param line the line's {@code env}, or null when the line has none
   * @throws BadInputException naming the source when the line's env is not an object
   */
  static Object mergeOver(Object base, Object line, String source) {
    if (line != null && !(line instanceof Map<?, ?>)) {
      throw new BadInputException(source + ": env must be an object");
    }
    if (base == null) {
      return line;
    }
    return line == null ? base : deepMerge(base, line);
  }

  private static Object deepMerge(Object base, Object over) {
    if (!(base instanceof Map<?, ?> baseMap) || !(over instanceof Map<?, ?> overMap)) {
      return over;
    }
    Map<Object, Object> merged = new LinkedHashMap<>(baseMap);
    overMap.forEach((key, value) -> merged.put(key,
        merged.containsKey(key) ? deepMerge(merged.get(key), value) : value));
    return merged;
  }

  private static String currentAlias(Map<String, Object> ctx) {
    if (ctx.get("meta") instanceof Map<?, ?> meta && meta.get("step") instanceof Map<?, ?> step
        && step.get("alias") instanceof String alias) {
      return alias;
    }
    return "";
  }

  private static List<StepStatusEntry> history(Object steps, String source) {
    if (steps == null) {
      return List.of();
    }
    if (!(steps instanceof List<?> list)) {
      throw new BadInputException(source + ": env.steps must be a list of {alias, status, continueOnError}");
    }
    List<StepStatusEntry> entries = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String where = "env.steps[" + i + "]";
      Map<String, Object> entry = asMap(list.get(i), source, where);
      if (!(entry.get("alias") instanceof String alias) || !(entry.get("status") instanceof String status)) {
        throw new BadInputException(source + ": " + where + " needs string fields alias and status");
      }
      Object coe = entry.getOrDefault("continueOnError", false);
      if (!(coe instanceof Boolean continueOnError)) {
        throw new BadInputException(source + ": " + where + ".continueOnError must be true or false");
      }
      entries.add(new StepStatusEntry(alias, status, continueOnError));
    }
    return entries;
  }

  private static Map<String, Map<String, String>> secrets(Map<String, Object> raw, String source) {
    Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
    raw.forEach((name, value) -> {
      Map<String, Object> entries = asMap(value, source, "env.secrets." + name);
      Map<String, String> strings = new LinkedHashMap<>();
      entries.forEach((k, v) -> strings.put(k, MaskableSecrets.require(v == null ? "" : String.valueOf(v),
          source + ": env.secrets." + name + "." + k)));
      secrets.put(name, strings);
    });
    return secrets;
  }

  private static Map<String, Object> optionalMap(Map<String, Object> env, String key, String source) {
    Object value = env.get(key);
    return value == null ? Map.of() : asMap(value, source, "env." + key);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value, String source, String what) {
    if (!(value instanceof Map<?, ?>)) {
      throw new BadInputException(source + ": " + what + " must be an object");
    }
    return (Map<String, Object>) value;
  }
}
