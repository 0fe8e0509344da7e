package io.promokit.steps;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.internal.ConfigPath;
import io.promokit.steps.kit.GlobPattern;
import io.promokit.steps.kit.InvalidConfigException;
import io.promokit.steps.kit.WorkdirPaths.Access;
import io.promokit.steps.kit.WorkdirPaths;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code delete}: removes files and directories, given as literal paths or as glob patterns. Symlinks are
 * removed themselves and never followed; nothing named {@code .git} (or inside one) is matched by a pattern.
 */
final class DeleteStep extends BuiltinStep {

  record Config(String path, List<String> paths, Boolean pathsAreGlobs, Boolean strict) {}

  /** One path or pattern from the config, with the field it came from. */
  private record Target(String text, String field) {}

  DeleteStep() {
    super("delete");
  }

  @Override
  StepResult run(StepContext context) throws IOException, InterruptedException {
    Config config = context.config(Config.class);
    List<Target> targets = targets(config);
    boolean globs = Boolean.TRUE.equals(config.pathsAreGlobs());
    boolean strict = Boolean.TRUE.equals(config.strict());

    Set<Path> doomed = new LinkedHashSet<>();
    for (Target target : targets) {
      List<Path> found = globs ? expand(context, target) : literal(context, target);
      if (found.isEmpty() && strict) {
        // Kargo: an ordinary error (Errored, retried under retry.errorThreshold), not a Failed result.
        throw new StepException(target.field() + ": " + (globs
            ? "pattern \"" + target.text() + "\" matches nothing"
            : "\"" + target.text() + "\" does not exist"));
      }
      doomed.addAll(found);
    }
    for (Path path : doomed) {
      FileTrees.delete(path, context);
    }
    context.log().info("deleted " + doomed.size() + (doomed.size() == 1 ? " path" : " paths"));
    return StepResult.succeeded();
  }

  private static List<Target> targets(Config config) {
    if (config.path() != null && config.paths() != null) {
      throw new InvalidConfigException("config: give either path or paths, not both");
    }
    if (config.path() != null) {
      return List.of(new Target(config.path(), "config.path"));
    }
    if (config.paths() == null) {
      throw new InvalidConfigException("config.path: is required (or give paths)");
    }
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < config.paths().size(); i++) {
      targets.add(new Target(config.paths().get(i), ConfigPath.index("config.paths", i)));
    }
    return targets;
  }

  private static List<Path> literal(StepContext context, Target target) {
    Path path = WorkdirPaths.resolve(context.workdir(), target.text(), Access.DELETE, target.field());
    return Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? List.of(path) : List.of();
  }

  /** Every entry under the pattern's literal prefix whose path matches it, outermost first. */
  private static List<Path> expand(StepContext context, Target target) throws IOException, InterruptedException {
    String glob = target.text().startsWith("./") ? target.text().substring(2) : target.text();
    boolean directoriesOnly = glob.endsWith("/");
    if (directoriesOnly) {
      glob = glob.substring(0, glob.length() - 1);
    }
    if (glob.startsWith("/")) {
      WorkdirPaths.resolve(context.workdir(), target.text(), Access.DELETE, target.field()); // says "absolute"
    }
    List<String> names = List.of(glob.split("/+"));
    if (names.contains("..")) {
      throw new InvalidConfigException(target.field() + ": \"..\" is not allowed in a glob pattern, but was \""
          + target.text() + "\"");
    }
    try {
      GlobPattern.compileStrict(glob);   // checked whole, before the file system is looked at
    } catch (IllegalArgumentException e) {
      // Kargo: a terminal error (Errored): the pattern can never match, whatever the files.
      throw StepException.terminal(target.field() + ": invalid glob pattern \"" + target.text() + "\": "
          + e.getMessage());
    }
    int literalCount = 0;
    while (literalCount < names.size() - 1 && !GlobPattern.hasMeta(names.get(literalCount))) {
      literalCount++;
    }
    String prefix = String.join("/", names.subList(0, literalCount));
    Path base = prefix.isEmpty() ? context.workdir().toRealPath()
        : WorkdirPaths.resolve(context.workdir(), prefix, Access.READ, target.field());
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    Pattern rest = GlobPattern.compileStrict(String.join("/", names.subList(literalCount, names.size())));
    List<Path> matches = new ArrayList<>();
    try {
      Files.walkFileTree(base, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          FileTrees.checkCancelled(context);
          if (dir.equals(base)) {
            return FileVisitResult.CONTINUE;
          }
          if (dir.getFileName().toString().equals(".git")) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          if (rest.matcher(relative(base, dir)).matches()) {
            matches.add(checked(context, dir, target));
            return FileVisitResult.SKIP_SUBTREE;   // deleted whole
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          boolean isGit = file.getFileName().toString().equals(".git");
          if (!directoriesOnly && !isGit && rest.matcher(relative(base, file)).matches()) {
            matches.add(checked(context, file, target));
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (FileTrees.CancelledIo e) {
      throw new InterruptedException("cancelled while matching " + target.text());
    }
    return matches;
  }

  private static String relative(Path base, Path entry) {
    return base.relativize(entry).toString().replace('\\', '/');
  }

  /** A match passes the same checks as a literal path (it is inside the workdir and not in .git). */
  private static Path checked(StepContext context, Path match, Target target) {
    Path root;
    try {
      root = context.workdir().toRealPath();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    WorkdirPaths.resolve(root, root.relativize(match).toString(), Access.DELETE, target.field());
    return match;
  }
}
