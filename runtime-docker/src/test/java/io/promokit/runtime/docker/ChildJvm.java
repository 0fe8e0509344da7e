package io.promokit.runtime.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Starts a test class's {@code main} in a separate JVM, optionally as another uid (with
 * {@code setpriv}, when this JVM is root). A JVM of another user may not read this one's class path
 * (Maven's repository is under root's home), so it gets a world-readable copy.
 */
final class ChildJvm {

  private static Path sharedClassPath;

  private ChildJvm() {}

  /**
   * @param uid the uid to run as, or null for this JVM's
   * @param extraGroup a supplementary group for that uid (the Docker socket's), or null
   */
  static Process start(Class<?> main, List<String> args, Integer uid, Integer extraGroup, Path tmpdir, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    String classPath = System.getProperty("java.class.path");
    if (uid != null) {
      command.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid,
          extraGroup == null ? "--clear-groups" : "--groups=" + extraGroup, "--"));
      classPath = readableClassPath();
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Djava.io.tmpdir=" + tmpdir);
    command.add("-cp");
    command.add(classPath);
    command.add(main.getName());
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** This JVM's class path, copied once to a folder every user may read. */
  private static synchronized String readableClassPath() throws IOException {
    if (sharedClassPath == null) {
      Path target = Files.createTempDirectory("promokit-shared-classpath-");
      Files.setAttribute(target, "unix:mode", 0755);
      List<String> entries = new ArrayList<>();
      int n = 0;
      for (Path entry : classPathEntries()) {
        Path copy = target.resolve((n++) + "-" + entry.getFileName());
        copyReadable(entry, copy);
        entries.add(copy.toString());
      }
      Files.writeString(target.resolve("classpath"), String.join(":", entries));
      sharedClassPath = target;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(target)));
    }
    return Files.readString(sharedClassPath.resolve("classpath"));
  }

  /** The class path, with a manifest-only jar (as surefire uses) expanded to what it names. */
  private static Set<Path> classPathEntries() throws IOException {
    Set<Path> entries = new LinkedHashSet<>();
    for (String element : System.getProperty("java.class.path").split(":")) {
      Path path = Path.of(element);
      entries.add(path);
      if (Files.isRegularFile(path) && element.endsWith(".jar")) {
        try (JarFile jar = new JarFile(path.toFile())) {
          Manifest manifest = jar.getManifest();
          String named = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
          if (named != null) {
            for (String url : named.trim().split("\\s+")) {
              entries.add(Path.of(path.getParent().toUri().resolve(URI.create(url))));
            }
          }
        }
      }
    }
    entries.removeIf(p -> !Files.exists(p));
    return entries;
  }

  private static void copyReadable(Path source, Path target) throws IOException {
    if (Files.isRegularFile(source)) {
      Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
      Files.setAttribute(target, "unix:mode", 0644);
      return;
    }
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Path copy = target.resolve(source.relativize(dir).toString());
        Files.createDirectories(copy);
        Files.setAttribute(copy, "unix:mode", 0755);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Path copy = target.resolve(source.relativize(file).toString());
        Files.copy(file, copy);
        Files.setAttribute(copy, "unix:mode", 0644);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  static void deleteQuietly(Path root) {
    try {
      AttemptDirectory.deleteTree(root);
    } catch (UncheckedIOException e) {
      // Best effort at exit.
    }
  }
}
