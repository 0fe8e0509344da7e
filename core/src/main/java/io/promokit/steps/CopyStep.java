package io.promokit.steps;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.steps.kit.IgnorePatterns;
import io.promokit.steps.kit.WorkdirPaths;
import io.promokit.steps.kit.WorkdirPaths.Access;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * {@code copy}: copies a file, or a directory recursively (merging into an existing destination and replacing
 * files), inside the working directory. {@code .git} entries, symlinks and special files are skipped, as are
 * entries the {@code ignore} rules match. Every destination is checked like a config path, so a symlink
 * already in the destination cannot redirect a write out of the working directory.
 */
final class CopyStep extends BuiltinStep {

  record Config(String inPath, String outPath, Object ignore) {}

  CopyStep() {
    super("copy");
  }

  @Override
  StepResult run(StepContext context) throws IOException, InterruptedException {
    Config config = context.config(Config.class);
    IgnorePatterns ignore = ignoreRules(config.ignore());
    Path root = context.workdir().toRealPath();
    Path source = WorkdirPaths.resolve(root, config.inPath(), Access.READ, "config.inPath");
    Path destination = WorkdirPaths.resolve(root, config.outPath(), Access.WRITE, "config.outPath");
    if (!Files.exists(source)) {
      throw StepException.terminal("config.inPath: \"" + config.inPath() + "\" does not exist");
    }
    if (!Files.isDirectory(source)) {
      if (Files.isDirectory(destination)) {
        throw StepException.terminal("config.outPath: \"" + config.outPath()
            + "\" is a directory; give the path of the file to create");
      }
      Files.createDirectories(destination.getParent());
      Files.copy(source, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      context.log().info("copied " + config.inPath() + " to " + config.outPath());
      return StepResult.succeeded();
    }
    if (Files.exists(destination) && !Files.isDirectory(destination)) {
      throw StepException.terminal("config.outPath: \"" + config.outPath()
          + "\" is a file, but config.inPath is a directory");
    }
    if (destination.startsWith(source)) {
      throw StepException.terminal("config.outPath: \"" + config.outPath() + "\" is inside config.inPath \""
          + config.inPath() + "\"; a directory cannot be copied into itself");
    }
    int copied = copyTree(context, root, source, destination, ignore, config.outPath());
    context.log().info("copied " + copied + (copied == 1 ? " file" : " files") + " from " + config.inPath()
        + " to " + config.outPath());
    return StepResult.succeeded();
  }

  private static int copyTree(StepContext context, Path root, Path source, Path destination, IgnorePatterns ignore,
      String outPath) throws IOException, InterruptedException {
    int[] copied = {0};
    try {
      Files.walkFileTree(source, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          FileTrees.checkCancelled(context);
          String relative = relative(source, dir);
          if (!relative.isEmpty() && (isGit(dir) || ignore.matches(relative, true))) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          Files.createDirectories(target(root, destination, relative, outPath));
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          FileTrees.checkCancelled(context);
          String relative = relative(source, file);
          if (attrs.isSymbolicLink()) {
            context.log().info("skipped symlink " + relative);
            return FileVisitResult.CONTINUE;
          }
          if (!attrs.isRegularFile() || isGit(file) || ignore.matches(relative, false)) {
            return FileVisitResult.CONTINUE;
          }
          Files.copy(file, target(root, destination, relative, outPath),
              StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
          copied[0]++;
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (FileTrees.CancelledIo e) {
      throw new InterruptedException("cancelled while copying into " + outPath);
    }
    return copied[0];
  }

  /** Where an entry goes, checked like a config path (symlinks already in the destination are followed safely). */
  private static Path target(Path root, Path destination, String relative, String outPath) {
    Path target = relative.isEmpty() ? destination : destination.resolve(relative);
    return WorkdirPaths.resolve(root, root.relativize(target).toString(), Access.WRITE, "config.outPath");
  }

  private static boolean isGit(Path path) {
    return path.getFileName().toString().equals(".git");
  }

  private static String relative(Path base, Path entry) {
    return base.relativize(entry).toString().replace('\\', '/');
  }

  private static IgnorePatterns ignoreRules(Object ignore) {
    if (ignore == null) {
      return IgnorePatterns.none();
    }
    if (ignore instanceof String text) {
      return IgnorePatterns.parse(List.of(text.split("\n", -1)));
    }
    return IgnorePatterns.parse(((List<?>) ignore).stream().map(String::valueOf).toList());
  }
}
