package io.promokit.steps.git;

import io.promokit.StepException;
import io.promokit.steps.kit.ProcessFolders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A fresh 0700 folder outside the working directory, {@code <prefix><pid>-<random>}, deleted with everything in it
 * on close; {@code GitSteps.leftovers} finds those of dead processes.
 */
final class PrivateFolder implements AutoCloseable {
  private final Path path;

  private PrivateFolder(Path path) {
    this.path = path;
  }

  static PrivateFolder create(Path scratch, Path workdir) {
    return create(scratch, workdir, "promokit-git-");
  }

  static PrivateFolder create(Path scratch, Path workdir, String prefix) {
    try {
      Path realScratch = Files.createDirectories(scratch).toRealPath();
      if (realScratch.startsWith(workdir.toRealPath())) {
        throw StepException.terminal("the scratch directory " + scratch + " is inside the working directory "
            + workdir + "; secrets must stay outside it (GitSteps.Builder.scratchDirectory)");
      }
      // The process id in the name lets a reap find the folders of a process that died (kill -9).
      Path dir = Files.createTempDirectory(realScratch, ProcessFolders.prefixOfThisProcess(prefix),
          PosixFilePermissions.asFileAttribute(
              PosixFilePermissions.fromString("rwx------")));
      return new PrivateFolder(dir);
    } catch (IOException e) {
      throw StepException.terminal("cannot create a private folder in " + scratch + ": " + e.getMessage(), e);
    }
  }

  Path path() {
    return path;
  }

  /** Writes a file readable by the owner only (0600, or 0700 when executable). */
  Path writeFile(String name, String content, boolean executable) {
    Path file = path.resolve(name);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString(executable ? "rwx------" : "rw-------")));
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw StepException.terminal("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    deleteTree(path);
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> paths = new ArrayList<>();
    try (var walk = Files.walk(root)) {
      walk.forEach(paths::add);
    } catch (IOException e) {
      // fall through: delete what was listed
    }
    for (int i = paths.size() - 1; i >= 0; i--) {
      try {
        Files.deleteIfExists(paths.get(i));
      } catch (IOException ignored) {
        // a socket a dying agent still holds; the rest is gone
      }
    }
  }
}
