package io.promokit.steps;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.expressions.ExpressionException;
import io.promokit.internal.ConfigPath;
import io.promokit.steps.kit.DocumentSyntaxException;
import io.promokit.steps.kit.InvalidConfigException;
import io.promokit.steps.kit.WorkdirPaths;
import io.promokit.steps.kit.WorkdirPaths.Access;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code yaml-parse} and {@code json-parse}: read a file and publish one output per {@code outputs} entry,
 * each the value of its {@code fromExpression}. As in Kargo, the expressions see the document's top-level keys
 * as variables ({@code image.tag}); keys that are not identifiers cannot be variables and are left out. They
 * also see what the step's config saw ({@code ctx}, {@code vars}, {@code outputs}), unless the document has a
 * key of that name, which wins.
 */
final class ParseStep extends BuiltinStep {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  record Output(String name, String fromExpression) {}

  record Config(String path, List<Output> outputs) {}

  private final DocumentFormat format;

  ParseStep(DocumentFormat format) {
    super(format.stepName("parse"));
    this.format = format;
  }

  @Override
  StepResult run(StepContext context) throws IOException {
    Config config = context.config(Config.class);
    checkNamesAreUnique(config.outputs());
    Path file = WorkdirPaths.resolve(context.workdir(), config.path(), Access.READ, "config.path");
    String text = UpdateStep.readText(file, config.path());
    Object document;
    try {
      document = format.read(text);
    } catch (DocumentSyntaxException e) {
      throw StepException.terminal("config.path: \"" + config.path() + "\" " + e.getMessage(), e);
    }
    if (!(document instanceof Map<?, ?> map)) {
      throw StepException.terminal("config.path: \"" + config.path() + "\" holds " + describe(document)
          + " at the top level; " + name() + " needs a map");
    }
    Map<String, Object> variables = new LinkedHashMap<>();
    map.forEach((key, value) -> {
      if (IDENTIFIER.matcher(String.valueOf(key)).matches()) {
        variables.put(String.valueOf(key), value);
      }
    });
    Map<String, Object> outputs = new LinkedHashMap<>();
    for (int i = 0; i < config.outputs().size(); i++) {
      Output output = config.outputs().get(i);
      try {
        outputs.put(output.name(), context.evaluate(output.fromExpression(), variables));
      } catch (ExpressionException e) {
        throw StepException.terminal(
            ConfigPath.index("config.outputs", i) + ".fromExpression: " + e.getMessage(), e);
      }
    }
    return StepResult.succeeded(outputs);
  }

  private static void checkNamesAreUnique(List<Output> outputs) {
    for (int i = 0; i < outputs.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (outputs.get(i).name().equals(outputs.get(j).name())) {
          throw new InvalidConfigException(ConfigPath.index("config.outputs", i) + ".name: \""
              + outputs.get(i).name() + "\" is already the name of config.outputs[" + j + "]");
        }
      }
    }
  }

  private static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof List) {
      return "a list";
    }
    if (value instanceof String) {
      return "a string";
    }
    return value instanceof Number ? "a number" : "a " + value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
