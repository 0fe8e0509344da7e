package io.promokit.internal.container;

import io.promokit.CustomStepDefinition.Output;
import io.promokit.CustomStepDefinition.OutputFormat;
import io.promokit.StepException;
import io.promokit.spi.CapturedFile;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns what a container left (its output file, stdout, stderr or a workdir file, read with a cap) into
 * the step's output map, as CUSTOM-STEPS.md section 5 says: parse by format, wrap non-objects as
 * {@code {"output": value}}, apply the transform, check the size limit. Every problem becomes a terminal
 * {@link StepException} naming the source: running the same command again would not fix its output.
 */
public final class OutputCapture {

  /** The most of a source that is read; a larger source is an error. */
  public static final int READ_CAP = 16 * 1024 * 1024;
  /** The largest output map, as JSON. */
  public static final int MAP_LIMIT = 256 * 1024;

  /** Evaluates a transform expression ({@code StepContext.evaluateIsolated}). */
  @FunctionalInterface
  public interface Evaluator {
    Object evaluate(String expression, Map<String, Object> variables);
  }

  private OutputCapture() {}

  /**
   * @param spec the definition's output
   * @param raw the source's content, read with {@link #READ_CAP}
   * @param sourceName the source for messages: {@code the KARGO_OUTPUT file}, {@code stdout}, ...
   * @param evaluator evaluates transform expressions
   */
  public static Map<String, Object> capture(Output spec, CapturedFile raw, String sourceName, Evaluator evaluator) {
    if (raw.truncated()) {
      // the runtime read as much as it could: that is the limit that applied (16 MiB unless the runtime's is lower)
      int limit = raw.content().length;
      throw StepException.terminal("output from " + sourceName + " is " + raw.size() + " bytes, over the read limit of "
          + limit + " bytes" + (limit == READ_CAP ? " (16 MiB)" : ""));
    }
    String text = new String(raw.content(), StandardCharsets.UTF_8);
    OutputFormat format = spec.effectiveFormat();
    Object parsed;
    try {
      parsed = parse(format, text);
    } catch (OutputException e) {
      throw StepException.terminal("output from " + sourceName + " is " + e.getMessage());
    }
    Map<String, Object> outputs = spec.transform().isEmpty() ? asMap(parsed) : transform(spec, parsed, evaluator);
    long size = StructuredOutput.jsonSize(outputs);
    if (size > MAP_LIMIT) {
      throw StepException.terminal("output is " + size + " bytes as JSON, over the limit of " + MAP_LIMIT
          + " bytes (256 KiB)");
    }
    return outputs;
  }

  /** The parsed value: a map for KeyValue, the document for JSON and YAML, the text for Text. */
  static Object parse(OutputFormat format, String text) {
    return switch (format) {
      case KEY_VALUE -> KeyValueOutput.parse(text);
      case TEXT -> text;
      case JSON -> text.isBlank() ? new LinkedHashMap<>() : StructuredOutput.parseJson(text);
      case YAML -> text.isBlank() ? new LinkedHashMap<>() : StructuredOutput.parseYaml(text);
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object parsed) {
    if (parsed instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), v));
      return copy;
    }
    Map<String, Object> wrapped = new LinkedHashMap<>();
    wrapped.put("output", parsed);
    return wrapped;
  }

  private static Map<String, Object> transform(Output spec, Object parsed, Evaluator evaluator) {
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("output", parsed);
    Map<String, Object> result = new LinkedHashMap<>();
    spec.transform().forEach((key, expression) -> {
      try {
        result.put(key, evaluator.evaluate(expression, variables));
      } catch (RuntimeException e) {
        throw StepException.terminal("output.transform." + key + ": " + e.getMessage(), e);
      }
    });
    return result;
  }
}
