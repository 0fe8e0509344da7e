package io.promokit.steps.files;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.steps.kit.AtomicFiles;
import io.promokit.steps.kit.InvalidConfigException;
import io.promokit.steps.kit.TypedStep;
import io.promokit.steps.kit.WorkdirPaths;
import io.promokit.steps.kit.WorkdirPaths.Access;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code toml-update}: replaces existing scalar values in a TOML file, rewriting only their text (see
 * {@link TomlEditor}), and describes the change in a {@code commitMessage} output, as Kargo does. All updates
 * apply or none: the file is written once, atomically, after every update succeeded and read back right.
 */
final class TomlUpdateStep implements TypedStep<TomlUpdateStep.Config> {

  record Update(String key, Object value) {}

  record Config(String path, List<Update> updates) {}

  private final TomlEditor editor = new TomlEditor(new TomlDocuments());

  @Override
  public StepResult execute(StepContext context, Config config) throws IOException {
    List<TomlEditor.Update> updates = new ArrayList<>();
    for (int i = 0; i < config.updates().size(); i++) {
      Update update = config.updates().get(i);
      try {
        updates.add(new TomlEditor.Update(DottedKey.split(update.key()), update.value()));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException("config.updates[" + i + "].key: \"" + update.key() + "\" " + e.getMessage());
      }
    }
    Path file = WorkdirPaths.resolve(context.workdir(), config.path(), Access.WRITE, "config.path");
    String original = TextFiles.read(file, "config.path", config.path());
    TomlEditor.Edited edited;
    try {
      edited = editor.apply(original, updates);
    } catch (TomlDocuments.SyntaxException e) {
      throw new StepException("TOML file update failed: config.path: \"" + config.path() + "\" " + e.getMessage(), e);
    } catch (TomlEditor.UpdateException e) {
      String where = "config.updates[" + e.index() + "]";
      if (e.isConfigProblem()) {
        throw new InvalidConfigException(where + ".value: " + e.getMessage());
      }
      throw new StepException("TOML file update failed: " + where + ".key: \""
          + config.updates().get(e.index()).key() + "\": " + e.getMessage() + " in " + config.path());
    } catch (IllegalStateException e) {
      throw StepException.terminal("TOML file update failed: " + config.path() + ": " + e.getMessage(), e);
    }
    if (!edited.text().equals(original)) {
      AtomicFiles.write(file, edited.text().getBytes(StandardCharsets.UTF_8), null, true);
    }
    context.log().info("updated " + config.path() + " (" + updates.size() + (updates.size() == 1 ? " key)" : " keys)"));
    return StepResult.succeeded(Map.of("commitMessage", commitMessage(config, edited.values())));
  }

  /** {@code Updated <path>} and one {@code - key: value} line per update, the value as written to the file. */
  static String commitMessage(Config config, List<String> values) {
    StringBuilder sb = new StringBuilder("Updated ").append(config.path()).append('\n');
    for (int i = 0; i < values.size(); i++) {
      sb.append("\n- ").append(config.updates().get(i).key()).append(": ").append(values.get(i));
    }
    return sb.toString();
  }
}
