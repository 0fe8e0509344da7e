package io.promokit.steps.manifests;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.RegisteredStep;
import io.promokit.StepResult;
import io.promokit.steps.kit.AtomicFiles;
import io.promokit.steps.kit.DocumentSyntaxException;
import io.promokit.steps.kit.InvalidConfigException;
import io.promokit.steps.kit.KeyPath;
import io.promokit.steps.kit.StepDefinition;
import io.promokit.steps.kit.TypedStep;
import io.promokit.steps.kit.WorkdirPaths;
import io.promokit.steps.kit.YamlEditor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code kustomize-set-image}: merges target images into a kustomization's {@code images} list with Kargo's
 * rules (a target replaces the whole entry of its name, {@code *} keeps a field, untargeted entries stay, the
 * list is sorted by name) and writes back only that list, keeping the rest of the file as it was.
 */
final class KustomizeSetImageStep implements TypedStep<KustomizeSetImageStep.Config> {

  record Image(String image, String name, String newName, String tag, String digest) {}

  record Config(String path, List<Image> images) {}

  /** kustomize's file names, in the order kustomize looks for them. */
  static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  private static final String KEEP = "*";

  private final Tools tools;

  private KustomizeSetImageStep(Tools tools) {
    this.tools = tools;
  }

  static RegisteredStep definition(Tools tools) {
    return StepDefinition.builder("kustomize-set-image")
        .schemaResource(ManifestSteps.class, "schemas/kustomize-set-image.json")
        .run(Config.class, new KustomizeSetImageStep(tools))
        .build();
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws Exception {
    Path directory = WorkdirPaths.resolve(context.workdir(), config.path(), WorkdirPaths.Access.READ, "config.path");
    Map<String, Entry> targets = config.images() == null || config.images().isEmpty()
        ? fromFreight(context) : fromConfig(config.images());
    Path file = find(directory, config.path());
    // The file is written: the write rules (not inside .git, no symlink out) apply to it.
    WorkdirPaths.resolve(context.workdir(), context.workdir().relativize(file).toString(), WorkdirPaths.Access.WRITE,
        "config.path");
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<Entry> merged = merge(current(text, file), targets);
    String updated = new YamlEditor().update(text, KeyPath.of("images"), merged.stream().map(Entry::asMap).toList());
    if (!updated.equals(text)) {
      AtomicFiles.writeString(file, updated);
    }
    if (targets.isEmpty()) {
      return StepResult.succeeded();
    }
    return StepResult.succeeded(Map.of("commitMessage", commitMessage(config.path(), merged)));
  }

  /** One entry of a kustomization's {@code images} list. */
  record Entry(String name, String newName, String tagSuffix, String newTag, String digest) {
    Entry {
      newName = Objects.requireNonNullElse(newName, "");
      tagSuffix = Objects.requireNonNullElse(tagSuffix, "");
      newTag = Objects.requireNonNullElse(newTag, "");
      digest = Objects.requireNonNullElse(digest, "");
    }

    /** kustomize's key order, empty fields left out. */
    Map<String, Object> asMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("name", name);
      putIfSet(map, "newName", newName);
      putIfSet(map, "tagSuffix", tagSuffix);
      putIfSet(map, "newTag", newTag);
      putIfSet(map, "digest", digest);
      return map;
    }

    private static void putIfSet(Map<String, Object> map, String key, String value) {
      if (!value.isEmpty()) {
        map.put(key, value);
      }
    }
  }

  static Map<String, Entry> fromConfig(List<Image> images) {
    Map<String, Entry> targets = new LinkedHashMap<>();
    for (Image image : images) {
      String name = image.name() == null || image.name().isEmpty() ? image.image() : image.name();
      boolean digest = image.digest() != null && !image.digest().isEmpty();
      targets.put(name, new Entry(name, image.newName(), "", digest ? "" : image.tag(), digest ? image.digest() : ""));
    }
    return targets;
  }

  private Map<String, Entry> fromFreight(StepContext context) {
    FreightImageSource source = tools.freightImages();
    if (source == null) {
      throw new InvalidConfigException("config.images: no images given, and this host supplies no Freight images "
          + "for auto mode (ManifestSteps.builder().freightImages(...)); list the images to set");
    }
    if (source.isAmbiguous(context.promotion())) {
      throw new StepException("manual configuration required due to ambiguous result");
    }
    Map<String, Entry> targets = new LinkedHashMap<>();
    for (FreightImage image : source.images(context.promotion())) {
      targets.put(image.repoURL(), new Entry(image.repoURL(), "", "", image.tag(), image.digest()));
    }
    return targets;
  }

  /** The kustomization file in {@code directory}: exactly one of kustomize's names, a regular file. */
  static Path find(Path directory, String displayPath) {
    List<Path> found = new ArrayList<>();
    for (String name : FILE_NAMES) {
      Path candidate = directory.resolve(name);
      if (Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
        found.add(candidate);
      }
    }
    if (found.isEmpty()) {
      throw new StepException("could not find any Kustomization files in \"" + displayPath + "\" (looked for "
          + String.join(", ", FILE_NAMES) + ")");
    }
    if (found.size() > 1) {
      throw new StepException("ambiguous result: found multiple Kustomization files in \"" + displayPath + "\": "
          + found.stream().map(p -> p.getFileName().toString()).toList());
    }
    return found.get(0);
  }

  @SuppressWarnings("unchecked")
  static List<Entry> current(String text, Path file) {
    Object document;
    try {
      document = YamlEditor.read(text);
    } catch (DocumentSyntaxException e) {
      throw new StepException("could not read " + file.getFileName() + ": " + e.getMessage(), e);
    }
    if (document != null && !(document instanceof Map)) {
      throw new StepException("could not read " + file.getFileName() + ": it does not hold a map");
    }
    Object images = document == null ? null : ((Map<String, Object>) document).get("images");
    List<Entry> entries = new ArrayList<>();
    if (images == null) {
      return entries;
    }
    if (!(images instanceof List<?> list)) {
      throw new StepException("could not decode images field in " + file.getFileName() + ": it is not a list");
    }
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> m)) {
        throw new StepException("could not decode images field in " + file.getFileName() + ": an item is not a map");
      }
      entries.add(new Entry(text(m.get("name")), text(m.get("newName")), text(m.get("tagSuffix")),
          text(m.get("newTag")), text(m.get("digest"))));
    }
    return entries;
  }

  /** Kargo's merge: targets replace entries of their name ({@code *} keeps a field), the rest stays; by name. */
  static List<Entry> merge(List<Entry> current, Map<String, Entry> targets) {
    Map<String, Entry> result = new TreeMap<>();
    Map<String, Entry> existing = new LinkedHashMap<>();
    current.forEach(e -> existing.put(e.name(), e));
    existing.forEach(result::put);
    targets.forEach((name, target) -> {
      Entry old = existing.get(name);
      result.put(name, new Entry(name, keep(target.newName(), old == null ? "" : old.newName()), "",
          keep(target.newTag(), old == null ? "" : old.newTag()), keep(target.digest(), old == null ? "" : old.digest())));
    });
    return new ArrayList<>(result.values());
  }

  private static String keep(String value, String old) {
    return KEEP.equals(value) ? old : value;
  }

  /**
   * {@code Updated <path> to use new image[s]}, a blank line, and {@code - <newName or name>[:<tag>][@<digest>]}
   * for each image of the list after the change, sorted by name (as Kargo, which lists its merged map).
   */
  static String commitMessage(String path, List<Entry> images) {
    StringBuilder sb = new StringBuilder("Updated ").append(path).append(" to use new image");
    if (images.size() > 1) {
      sb.append('s');
    }
    sb.append('\n');
    for (Entry image : images) {
      String ref = image.newName().isEmpty() ? image.name() : image.newName();
      if (!image.newTag().isEmpty()) {
        ref += ":" + image.newTag();
      }
      if (!image.digest().isEmpty()) {
        ref += "@" + image.digest();
      }
      sb.append("\n- ").append(ref);
    }
    return sb.toString();
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }

}
