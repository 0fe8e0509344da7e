package io.promokit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.promokit.expressions.ExpressionEnvironment;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.SecretMasker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code promokit render}: evaluates templates the way a step's config is evaluated (CLI.md). */
final class RenderCommand implements Subcommand {

  Path envFile;

  final Input input = new Input();

  /** What to evaluate: exactly one of the three. */
  static final class Input {
    String template;

    Path config;

    Path batch;
  }

  private final ExpressionResolver resolver = ExpressionResolver.create();

  @Override
  public Arguments arguments() {
    Arguments arguments = new Arguments("promokit render",
        "Evaluate ${{ }} templates the way a step's config is evaluated.",
        "Exit codes: 0 all evaluated, 2 bad input or an expression failed.");
    arguments.value("--env", "FILE", "JSON/YAML object with ctx, vars, outputs, task, config, secrets, steps."
            + " With --batch it is the base env of every line: a line's \"env\" is merged over it, objects deeply "
            + "(the line wins key by key, e.g. vars.a from the line, vars.b from the file), anything else "
            + "(lists such as steps, strings, numbers, null) replaced by the line's value.",
        Arguments.path("--env", file -> envFile = file));
    arguments.oneOf(true, group -> group
        .value("--template", "STRING", "One template; prints its value as JSON.", text -> input.template = text)
        .value("--config", "FILE", "A YAML/JSON config block; prints it evaluated, as JSON.",
            Arguments.path("--config", file -> input.config = file))
        .value("--batch", "FILE",
            "JSON Lines {\"id\", \"template\", \"env\"}; prints {\"id\", \"value\"} or {\"id\", \"error\"} per line.",
            Arguments.path("--batch", file -> input.batch = file)));
    return arguments;
  }

  @Override
  public int call(PrintWriter out, PrintWriter err) {
    SecretMasker masker = new SecretMasker();
    try {
      Object baseEnv = envFile == null ? null : Json.readYamlOrJson(envFile);
      String envSource = envFile == null ? "env" : envFile.toString();
      // Built before anything is evaluated, so a bad --env file stops every mode (a batch before its first line).
      ExpressionEnvironment env = RenderEnvironment.from(baseEnv, envSource, masker);
      if (input.batch != null) {
        return batch(input.batch, baseEnv, out);
      }
      Object value = input.template != null
          ? resolver.resolve(input.template, env)
          : resolver.resolveTree(Json.readYamlOrJson(input.config), env, "config");
      // Mask the values, not the JSON text: JSON escaping would hide a secret holding " or \ or a newline.
      Object masked = maskDeep(value, masker);
      String scalar = input.template != null ? ScalarJson.write(masked) : null;
      out.println(scalar != null ? scalar : Json.write(input.template != null ? Json.COMPACT : Json.PRETTY, masked));
      out.flush();
      return ExitCodes.OK;
    } catch (BadInputException | ExpressionException e) {
      err.println("promokit render: " + masker.mask(e.getMessage()));
      return ExitCodes.BAD_INPUT;
    }
  }

  /** One result line per input line, in order; a bad line never stops the others. */
  private int batch(Path file, Object baseEnv, PrintWriter out) {
    boolean allEvaluated = true;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        LineResult result = evaluateLine(line, baseEnv, file + ":" + number);
        allEvaluated &= result.evaluated();
        out.println(result.printed());
      }
    } catch (NoSuchFileException e) {
      throw new BadInputException(file + ": no such file");
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read it: " + e.getMessage(), e);
    }
    out.flush();
    return allEvaluated ? ExitCodes.OK : ExitCodes.BAD_INPUT;
  }

  /** A batch line's output line, and whether it holds a value (not an error). */
  private record LineResult(String printed, boolean evaluated) {}

  /** The line's result: its value, or its error; whatever goes wrong on a line is that line's error. */
  private LineResult evaluateLine(String line, Object baseEnv, String source) {
    Map<String, Object> result = new LinkedHashMap<>();
    Object id = null;
    SecretMasker masker = new SecretMasker();
    try {
      Object parsed;
      try {
        parsed = Json.COMPACT.readValue(line, Object.class);
      } catch (JsonProcessingException e) {
        throw new BadInputException(source + ": not valid JSON: " + e.getOriginalMessage());
      }
      if (!(parsed instanceof Map<?, ?> entry)) {
        throw new BadInputException(source + ": each line must be a JSON object {\"id\", \"template\", \"env\"}");
      }
      id = entry.get("id");
      if (!entry.containsKey("template")) {
        throw new BadInputException(source + ": the line has no \"template\"");
      }
      ExpressionEnvironment env = RenderEnvironment.from(
          RenderEnvironment.mergeOver(baseEnv, entry.get("env"), source), source, masker);
      Object template = entry.get("template");
      Object value = template instanceof String s ? resolver.resolve(s, env) : resolver.resolveTree(template, env, "template");
      result.put("id", id);
      result.put("value", maskDeep(value, masker));
      return new LineResult(Json.write(Json.COMPACT, result), true);
    } catch (BadInputException | ExpressionException e) {
      return error(id, masker.mask(e.getMessage()));
    } catch (Throwable e) { // one bad line never stops the others (CLI.md), whatever it throws
      return error(id, masker.mask(source + ": cannot evaluate the line: " + e));
    }
  }

  private static LineResult error(Object id, String message) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("id", id);
    result.put("error", message);
    try {
      return new LineResult(Json.write(Json.COMPACT, result), false);
    } catch (RuntimeException e) { // an id that cannot be written
      result.put("id", null);
      return new LineResult(Json.write(Json.COMPACT, result), false);
    }
  }

  /** The value with every secret replaced by {@code ***} in each string, map keys included. */
  private static Object maskDeep(Object value, SecretMasker masker) {
    if (masker.isEmpty()) {
      return value;
    }
    if (value instanceof String s) {
      return masker.mask(s);
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(k instanceof String key ? masker.mask(key) : k, maskDeep(v, masker)));
      return copy;
    }
    if (value instanceof java.util.List<?> l) {
      return l.stream().map(v -> maskDeep(v, masker)).toList();
    }
    return value;
  }
}
