package io.promokit.steps.kit;

import io.promokit.internal.process.MarkedProcesses;
import io.promokit.spi.ContainerSelector;
import io.promokit.spi.Leftover;
import io.promokit.spi.LeftoverSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Scratch folders a step family names {@code <prefix><pid>-<random>} under a root, so that those of a process that
 * died (kill -9, a crash) can be found and removed by a reap: a {@link LeftoverSource} of the folders whose process
 * is gone. Folders of a living process are never listed.
 *
 * <pre>{@code
 * Path home = ProcessFolders.create(scratch, "promokit-git-");          // promokit-git-4711-8c1f...
 * LeftoverSource leftovers = ProcessFolders.source(scratch, "promokit-git-", "git folder");
 * }</pre>
 */
public final class ProcessFolders implements LeftoverSource {

  private static final Duration PROCESS_EXIT_WAIT = Duration.ofSeconds(5);

  private final Path root;
  private final String prefix;
  private final String kind;
  private final String folderVariable;

  private ProcessFolders(Path root, String prefix, String kind, String folderVariable) {
    this.root = root.toAbsolutePath();
    this.prefix = prefix;
    this.kind = kind;
    this.folderVariable = folderVariable;
  }

  /** The name prefix of this process's folders: {@code prefix} and the process id, then a dash. */
  public static String prefixOfThisProcess(String prefix) {
    return prefix + ProcessHandle.current().pid() + "-";
  }

  /** The folders {@code <root>/<prefix><pid>-*} of dead processes, reported as {@code kind}. */
  public static ProcessFolders source(Path root, String prefix, String kind) {
    Objects.requireNonNull(root, "root must not be null");
    Objects.requireNonNull(prefix, "prefix must not be null");
    Objects.requireNonNull(kind, "kind must not be null");
    return new ProcessFolders(root, prefix, kind, null);
  }

  /**
   * As {@link #source(Path, String, String)}, first killing (SIGKILL, waiting up to 5 s) the processes whose
   * environment variable {@code folderVariable} names the folder: helpers that outlive their step, such as a
   * gpg-agent serving {@code GNUPGHOME}.
   */
  public static ProcessFolders source(Path root, String prefix, String kind, String folderVariable) {
    ProcessFolders folders = source(root, prefix, kind);
    return new ProcessFolders(folders.root, prefix, kind,
        Objects.requireNonNull(folderVariable, "folderVariable must not be null"));
  }

  @Override
  public List<Leftover> find(ContainerSelector selector) {
    List<Leftover> found = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return found;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, prefix + "*")) {
      for (Path entry : entries) {
        Optional<Long> owner = ownerPid(entry.getFileName().toString());
        if (owner.isEmpty() || ProcessHandle.of(owner.get()).map(ProcessHandle::isAlive).orElse(false)
            || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        Leftover leftover = new Leftover(kind, entry.toString(), null, Files.getLastModifiedTime(entry).toInstant());
        if (leftover.matches(selector)) {
          found.add(leftover);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
    return found;
  }

  @Override
  public boolean remove(Leftover leftover) {
    Path folder = Path.of(leftover.name());
    if (!folder.startsWith(root) || !folder.getFileName().toString().startsWith(prefix)) {
      throw new IllegalArgumentException(leftover + " is not one of the " + kind + "s under " + root);
    }
    if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (folderVariable != null) {
      stopProcessesUsing(folder);
    }
    try {
      DirectoryTrees.delete(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the " + kind + " " + folder, e);
    }
    return true;
  }

  private void stopProcessesUsing(Path folder) {
    for (ProcessHandle process : MarkedProcesses.withMark(folderVariable, folder.toString())) {
      process.destroyForcibly();
      try {
        process.onExit().get(PROCESS_EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        // still exiting: the folder goes anyway, and a helper ends once its socket is gone
      }
    }
  }

  private Optional<Long> ownerPid(String name) {
    String rest = name.substring(prefix.length());
    int dash = rest.indexOf('-');
    try {
      return Optional.of(Long.parseLong(dash < 0 ? rest : rest.substring(0, dash)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "ProcessFolders[" + root.resolve(prefix + "*") + "]";
  }
}
