package io.promokit.steps;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.internal.ConfigPath;
import io.promokit.internal.JsonValues;
import io.promokit.steps.kit.AtomicFiles;
import io.promokit.steps.kit.DocumentEditor;
import io.promokit.steps.kit.DocumentSyntaxException;
import io.promokit.steps.kit.InvalidConfigException;
import io.promokit.steps.kit.JsonEditor;
import io.promokit.steps.kit.KeyPath;
import io.promokit.steps.kit.WorkdirPaths.Access;
import io.promokit.steps.kit.WorkdirPaths;
import io.promokit.steps.kit.YamlEditor;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code yaml-update} and {@code json-update}: set keys in a file and describe the change in a
 * {@code commitMessage} output. Only the changed values' text is rewritten; see {@link YamlEditor} and
 * {@link JsonEditor}. A missing key is created, as Kargo does. All updates apply or none: the file is written
 * once, atomically, after every update succeeded.
 */
final class UpdateStep extends BuiltinStep {

  record Update(String key, Object value) {}

  record Config(String path, List<Update> updates) {}

  private final DocumentFormat format;

  UpdateStep(DocumentFormat format) {
    super(format.stepName("update"));
    this.format = format;
  }

  @Override
  StepResult run(StepContext context) throws IOException {
    Config config = context.config(Config.class);
    List<KeyPath> keys = new ArrayList<>();
    for (int i = 0; i < config.updates().size(); i++) {
      try {
        keys.add(KeyPath.parse(config.updates().get(i).key()));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(keyField(i) + ": " + e.getMessage());
      }
    }
    Path file = WorkdirPaths.resolve(context.workdir(), config.path(), Access.WRITE, "config.path");
    String original = readText(file, config.path());
    String text = original;
    DocumentEditor editor = format.editor();
    for (int i = 0; i < keys.size(); i++) {
      Update update = config.updates().get(i);
      try {
        if (format == DocumentFormat.YAML) {
          refuseScalarOverCollection(text, keys.get(i), update);
        }
        text = editor.update(text, keys.get(i), JsonValues.normalize(update.value()));
      } catch (DocumentSyntaxException e) {
        throw StepException.terminal("config.path: \"" + config.path() + "\" " + e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw StepException.terminal(keyField(i) + ": \"" + update.key() + "\": " + e.getMessage(), e);
      } catch (IllegalStateException e) {
        throw StepException.terminal(ConfigPath.index("config.updates", i) + ": setting \"" + update.key() + "\": "
            + e.getMessage(), e);
      }
    }
    if (!text.equals(original)) {
      AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8), null, true);
    }
    context.log().info("updated " + config.path() + " (" + keys.size() + (keys.size() == 1 ? " key)" : " keys)"));
    String message = format == DocumentFormat.YAML ? CommitMessages.yamlUpdate(config.path(), config.updates())
        : CommitMessages.jsonUpdate(config.path(), config.updates());
    return StepResult.succeeded(Map.of("commitMessage", message));
  }

  /**
   * Kargo's yaml-update sets scalars only ({@code key path does not address a scalar node}): a map or a list
   * cannot become a single value. <b>[ours]</b> A map or list value may replace a map or a list, or set a new
   * key (Kargo writes a Go value's text there).
   */
  private void refuseScalarOverCollection(String text, KeyPath key, Update update) {
    List<KeyPath.Part> parts = key.parts();
    if (Integer.valueOf(-1).equals(parts.get(parts.size() - 1).index())) {
      return;   // an append
    }
    Object current = key.valueIn(format.read(text));
    if ((current instanceof Map<?, ?> || current instanceof List<?>)
        && !(update.value() instanceof Map<?, ?> || update.value() instanceof List<?>)) {
      throw new IllegalArgumentException("\"" + key + "\" holds " + (current instanceof Map<?, ?> ? "a map" : "a list")
          + "; yaml-update does not replace a map or a list with a single value (as in Kargo)");
    }
  }

  static String readText(Path file, String path) throws IOException {
    if (!Files.exists(file)) {
      throw StepException.terminal("config.path: \"" + path + "\" does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw StepException.terminal("config.path: \"" + path + "\" is not a file");
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw StepException.terminal("config.path: \"" + path + "\" is not UTF-8 text", e);
    }
  }

  private static String keyField(int index) {
    return ConfigPath.index("config.updates", index) + ".key";
  }
}
