package io.promokit.internal.process;

import java.io.IOException;
import java.io.InputStream;
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

  /** PF_KTHREAD in {@code /proc/<pid>/stat}'s flags. */
  private static final long KERNEL_THREAD = 0x00200000L;

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
        byte[] environ = readEnviron(entry);
        if (environ != null && environ.length == 0 && isChangingProgram(entry)) {
          environ = readAgainShortly(entry);
        }
        Optional<String> value = environ == null ? Optional.empty() : mark(environ, prefix);
        if (value.isPresent() && filter.test(value.get())) {
          ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(p -> found.put(p, value.get()));
        }
      }
    } catch (IOException e) {
      // /proc vanished or is unreadable: nothing can be found this way.
    }
    return found;
  }

  /** The process's environment block; null when it is gone or someone else's. */
  private static byte[] readEnviron(Path entry) {
    try {
      return Files.readAllBytes(entry.resolve("environ"));
    } catch (IOException | SecurityException e) {
      return null;
    }
  }

  /**
   * Whether a live process with an empty environment is in the middle of {@code execve} (its new arguments and
   * environment not set up yet: both read empty) rather than a kernel thread or a zombie, which have neither, or
   * a process started with an empty environment, which has arguments: a process caught there would be missed, and
   * a daemonized child that execs as its parent exits is caught there now and then on a busy machine.
   */
  static boolean isChangingProgram(Path entry) {
    try {
      // pid (comm) state ppid pgrp session tty_nr tpgid flags ...; comm may hold spaces and parentheses. Read
      // first: it rules out the kernel threads, the many processes without an environment.
      String stat = Files.readString(entry.resolve("stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 8);
      char state = fields[0].charAt(0);
      if (state == 'Z' || state == 'X' || (Long.parseLong(fields[6]) & KERNEL_THREAD) != 0) {
        return false;
      }
      try (InputStream cmdline = Files.newInputStream(entry.resolve("cmdline"))) {
        return cmdline.read() < 0;
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Reads the environment again, a few times over about 60 ms, until it is there. */
  private static byte[] readAgainShortly(Path entry) {
    for (int wait = 1; wait <= 32; wait *= 2) {
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      byte[] environ = readEnviron(entry);
      if (environ == null || environ.length > 0) {
        return environ;
      }
    }
    return null;
  }

  private static Optional<String> mark(byte[] bytes, byte[] prefix) {
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
