package io.promokit.internal.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds processes by an environment variable they inherited, through {@code /proc/<pid>/environ}. Every
 * process a command starts inherits the marks the runtime put in its environment, also when it was
 * re-parented (a daemonized child), so the marks find what parent links lose. Linux only: elsewhere
 * nothing is found and only the process's descendants are known.
 */
public final class MarkedProcesses {

  private static final Path PROC = Path.of("/proc");

  private MarkedProcesses() {}

  /** The live processes whose environment holds {@code name=value}. */
  public static List<ProcessHandle> withMark(String name, String value) {
    return withMark(name, v -> v.equals(value)).keySet().stream().toList();
  }

  /** The live processes whose environment holds {@code name} with a value accepted by the filter, and that value. */
  public static Map<ProcessHandle, String> withMark(String name, java.util.function.Predicate<String> filter) {
    Map<ProcessHandle, String> found = new LinkedHashMap<>();
    if (!Files.isDirectory(PROC)) {
      return found;
    }
    long self = ProcessHandle.current().pid();
    byte[] prefix = (name + "=").getBytes(StandardCharsets.UTF_8);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
      for (Path entry : entries) {
        long pid = Long.parseLong(entry.getFileName().toString());
        if (pid == self) {
          continue;
        }
        Optional<String> value = readMark(entry.resolve("environ"), prefix);
        if (value.isPresent() && filter.test(value.get())) {
          ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(p -> found.put(p, value.get()));
        }
      }
    } catch (IOException e) {
      // /proc vanished or is unreadable: nothing can be found this way.
    }
    return found;
  }

  private static Optional<String> readMark(Path environ, byte[] prefix) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(environ);
    } catch (IOException | SecurityException e) {
      return Optional.empty(); // gone, or someone else's process
    }
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == 0) {
        if (startsWith(bytes, start, i, prefix)) {
          return Optional.of(new String(bytes, start + prefix.length, i - start - prefix.length, StandardCharsets.UTF_8));
        }
        start = i + 1;
      }
    }
    return Optional.empty();
  }

  private static boolean startsWith(byte[] bytes, int from, int to, byte[] prefix) {
    if (to - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPid(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** The process, its descendants and every process carrying the mark, without duplicates. */
  public static List<ProcessHandle> tree(ProcessHandle root, String markName, String markValue) {
    Map<Long, ProcessHandle> all = new LinkedHashMap<>();
    if (root.isAlive()) {
      all.put(root.pid(), root);
    }
    root.descendants().forEach(p -> all.put(p.pid(), p));
    withMark(markName, markValue).forEach(p -> all.putIfAbsent(p.pid(), p));
    return new ArrayList<>(all.values());
  }
}
