package io.promokit.steps.files;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.steps.kit.AtomicFiles;
import io.promokit.steps.kit.DocumentSyntaxException;
import io.promokit.steps.kit.TypedStep;
import io.promokit.steps.kit.WorkdirPaths;
import io.promokit.steps.kit.WorkdirPaths.Access;
import io.promokit.steps.kit.YamlEditor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code yaml-merge}: merges YAML files in order, later files winning, with Kargo's rules ({@link YamlMerge}),
 * into {@code outFile}; the first file with content keeps its comments and layout where the merge allows
 * ({@link MergedYamlText}). Only the first document of each file is read; empty files are fine; missing files
 * are an error unless {@code ignoreMissingFiles}. With no content at all, {@code outFile} is written empty.
 */
final class YamlMergeStep implements TypedStep<YamlMergeStep.Config> {

  record Config(List<String> inFiles, String outFile, Boolean ignoreMissingFiles) {}

  private final MergedYamlText writer = new MergedYamlText();

  @Override
  public StepResult execute(StepContext context, Config config) throws IOException {
    List<String> used = new ArrayList<>();
    Object merged = null;
    String baseText = null;
    Object base = null;
    for (int i = 0; i < config.inFiles().size(); i++) {
      String name = config.inFiles().get(i);
      String field = "config.inFiles[" + i + "]";
      Path file = WorkdirPaths.resolve(context.workdir(), name, Access.READ, field);
      if (!Files.exists(file)) {
        if (Boolean.TRUE.equals(config.ignoreMissingFiles())) {
          continue;
        }
        throw new StepException("input file \"" + name + "\" not found");
      }
      String text = TextFiles.read(file, field, name);
      Object document;
      try {
        document = YamlEditor.read(text);
      } catch (DocumentSyntaxException e) {
        throw new StepException("error merging YAML files: input file \"" + name + "\" " + e.getMessage(), e);
      }
      used.add(name);
      if (document == null) {
        continue;
      }
      if (baseText == null) {
        baseText = text;
        base = document;
      }
      try {
        merged = YamlMerge.merge(merged, document);
      } catch (YamlMerge.MergeException e) {
        throw new StepException("error merging YAML files: input file \"" + name + "\": " + e.getMessage(), e);
      }
    }
    Path out = WorkdirPaths.resolve(context.workdir(), config.outFile(), Access.WRITE, "config.outFile");
    if (Files.isDirectory(out)) {
      throw new StepException("config.outFile: \"" + config.outFile() + "\" is a directory");
    }
    String text = merged == null ? "" : writer.write(baseText, base, merged);
    AtomicFiles.write(out, text.getBytes(StandardCharsets.UTF_8), null, true);
    context.log().info("merged " + used.size() + " YAML file" + (used.size() == 1 ? "" : "s") + " into "
        + config.outFile());
    String message = commitMessage(used, config.outFile());
    return message.isEmpty() ? StepResult.succeeded() : StepResult.succeeded(Map.of("commitMessage", message));
  }

  /** Kargo's message: {@code Wrote <in> to <out>}, or {@code Merged N YAML files to <out>} and one line per file. */
  static String commitMessage(List<String> inputs, String outFile) {
    if (inputs.isEmpty()) {
      return "";
    }
    if (inputs.size() == 1) {
      return "Wrote " + inputs.get(0) + " to " + outFile;
    }
    StringBuilder sb = new StringBuilder("Merged ").append(inputs.size()).append(" YAML files to ").append(outFile);
    inputs.forEach(in -> sb.append("\n- ").append(in));
    return sb.toString();
  }
}
