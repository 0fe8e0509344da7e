package io.promokit.steps.files;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.expressions.ExpressionException;
import io.promokit.steps.kit.InvalidConfigException;
import io.promokit.steps.kit.TypedStep;
import io.promokit.steps.kit.WorkdirPaths;
import io.promokit.steps.kit.WorkdirPaths.Access;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code toml-parse}: reads a TOML file and publishes one output per {@code outputs} entry, the value of its
 * {@code fromExpression}. As in Kargo (and promokit's yaml-parse), the expressions see the document's top-level
 * keys as variables ({@code package.version}); they also see what the config saw ({@code ctx}, {@code vars},
 * {@code outputs}) unless the document has a key of that name. Integers are whole numbers, floats decimals,
 * dates and times their RFC 3339 text.
 */
final class TomlParseStep implements TypedStep<TomlParseStep.Config> {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  record Output(String name, String fromExpression) {}

  record Config(String path, List<Output> outputs) {}

  private final TomlDocuments documents = new TomlDocuments();

  @Override
  public StepResult execute(StepContext context, Config config) {
    checkNamesAreUnique(config.outputs());
    Path file = WorkdirPaths.resolve(context.workdir(), config.path(), Access.READ, "config.path");
    String text = TextFiles.read(file, "config.path", config.path());
    if (text.isEmpty()) {
      throw new StepException("could not parse empty TOML file: \"" + config.path() + "\"");
    }
    Map<String, Object> document;
    try {
      document = documents.read(text);
    } catch (TomlDocuments.SyntaxException e) {
      throw new StepException("could not parse TOML file: config.path: \"" + config.path() + "\" " + e.getMessage(), e);
    }
    Map<String, Object> variables = new LinkedHashMap<>();
    document.forEach((key, value) -> {
      if (IDENTIFIER.matcher(key).matches()) {
        variables.put(key, value);
      }
    });
    Map<String, Object> outputs = new LinkedHashMap<>();
    for (int i = 0; i < config.outputs().size(); i++) {
      Output output = config.outputs().get(i);
      try {
        outputs.put(output.name(), context.evaluate(output.fromExpression(), variables));
      } catch (ExpressionException e) {
        throw new StepException("failed to extract outputs: config.outputs[" + i + "].fromExpression: "
            + e.getMessage(), e);
      }
    }
    return StepResult.succeeded(outputs);
  }

  private static void checkNamesAreUnique(List<Output> outputs) {
    for (int i = 0; i < outputs.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (outputs.get(i).name().equals(outputs.get(j).name())) {
          throw new InvalidConfigException("config.outputs[" + i + "].name: \"" + outputs.get(i).name()
              + "\" is already the name of config.outputs[" + j + "]");
        }
      }
    }
  }
}
