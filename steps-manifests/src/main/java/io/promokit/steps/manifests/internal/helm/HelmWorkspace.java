package io.promokit.steps.manifests.internal.helm;

import io.promokit.spi.ContainerSelector;
import io.promokit.spi.Leftover;
import io.promokit.spi.LeftoverSource;
import io.promokit.steps.kit.DirectoryTrees;
import io.promokit.steps.kit.ProcessFolders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * The folder a {@code ManifestSteps} instance keeps its Helm files in:
 * {@code <temp root>/promokit-helm-<pid>-<random>/}, mode 0700, holding the extracted native library, one
 * {@code worker-*} folder per Helm worker JVM, and one {@code call-*} folder per running Helm call (its Helm
 * home, registry logins, values, stand-in chart and temp files), which is removed when the call ends.
 * {@link #close()} removes the whole folder; {@link #reap(Path)} removes the folders of processes that died
 * without closing theirs.
 */
public final class HelmWorkspace implements AutoCloseable {

  /** The prefix of every workspace folder; the owner's process id follows it. */
  public static final String PREFIX = "promokit-helm-";

  private final Path folder;
  private Path library;
  private boolean closed;

  private HelmWorkspace(Path folder) {
    this.folder = folder;
  }

  /** Creates a new workspace under {@code tempRoot}. */
  public static HelmWorkspace create(Path tempRoot) {
    try {
      Files.createDirectories(tempRoot);
      String name = PREFIX + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
      Path folder = tempRoot.resolve(name);
      Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      return new HelmWorkspace(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a Helm workspace under " + tempRoot, e);
    }
  }

  public Path folder() {
    return folder;
  }

  /** The native library, extracted on first use. */
  synchronized Path library() throws IOException {
    if (closed) {
      throw new IllegalStateException("the manifest steps were closed");
    }
    if (library == null) {
      library = HelmNativeLibrary.extractInto(folder);
    }
    return library;
  }

  /**
   * A new, empty folder for one call. The worker serving the call sees it as its working directory and temp
   * folder, with the Helm home in {@code home/} (made by Helm as it needs it).
   */
  Path newCall() throws IOException {
    return Files.createDirectory(folder.resolve("call-" + UUID.randomUUID()));
  }

  @Override
  public synchronized void close() {
    closed = true;
    deleteTree(folder);
  }

  /**
   * Removes the workspaces under {@code tempRoot} whose owning process is gone (a host that crashed or was
   * killed). Workspaces of live processes are left alone.
   *
   * @return how many folders were removed
   */
  public static int reap(Path tempRoot) {
    LeftoverSource leftovers = leftovers(tempRoot);
    int removed = 0;
    for (Leftover folder : leftovers.find(ContainerSelector.all())) {
      if (leftovers.remove(folder)) {
        removed++;
      }
    }
    return removed;
  }

  /** The workspaces under {@code tempRoot} whose owning process is gone, for a reap. */
  public static LeftoverSource leftovers(Path tempRoot) {
    return ProcessFolders.source(tempRoot, PREFIX, "helm folder");
  }

  /** Deletes a folder and everything in it, never following symlinks. */
  static void deleteTree(Path root) {
    try {
      DirectoryTrees.delete(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + root, e);
    }
  }

}
