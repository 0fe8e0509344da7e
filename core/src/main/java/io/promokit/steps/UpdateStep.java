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
import io.promokit.steps.kit.WorkdirPaths;
import io.promokit.steps.kit.WorkdirPaths.Access;
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
    return StepResult.succeeded(Map.of("commitMessage", commitMessage(config)));
  }

  /** {@code Updated <path>} and one {@code - key: value} line per update, as Kargo writes it. */
  static String commitMessage(Config config) {
    StringBuilder sb = new StringBuilder("Updated ").append(config.path()).append('\n');
    for (Update update : config.updates()) {
      sb.append("\n- ").append(update.key()).append(": ").append(JsonValues.toJson(JsonValues.normalize(update.value())));
    }
    return sb.toString();
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
