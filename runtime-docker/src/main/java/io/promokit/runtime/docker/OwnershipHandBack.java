package io.promokit.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives the host user back what a container left in a bind-mounted folder under another owner, for a
 * host that is not root and so may not change owners itself. The daemon (root) does it: each foreign
 * entry is read from the stopped container with the archive API, its tar headers rewritten to the host's
 * uid and the shared group ({@link TarOwnershipRewriter}), and extracted back in place, which replaces
 * the entry with the same content, modes and times under the new owner. Content streams through; nothing
 * is held in memory.
 */
final class OwnershipHandBack {

  /** A bind mount: the host folder and where the container sees it. */
  record Mount(Path host, String container) {}

  /** How long handing back one entry (a file or a whole folder the container made) may take. */
  static final Duration ENTRY_BOUND = Duration.ofMinutes(10);

  private final DockerClient client;
  private final SharedFiles sharedFiles;
  private final DaemonCalls calls;

  OwnershipHandBack(DockerClient client, SharedFiles sharedFiles, DaemonCalls calls) {
    this.client = client;
    this.sharedFiles = sharedFiles;
    this.calls = calls;
  }

  /**
   * Hands back every foreign entry of the mounts, through the (stopped or running) container.
   *
   * @return the host paths handed back
   * @throws IOException when the host tree cannot be walked or the daemon refuses; the message names the
   *     entry
   */
  List<Path> handBack(String containerId, List<Mount> mounts, int group) throws IOException {
    List<Path> handedBack = new ArrayList<>();
    for (Mount mount : mounts) {
      for (Path entry : sharedFiles.foreignEntries(mount.host())) {
        Path relative = mount.host().relativize(entry);
        String source = mount.container() + "/" + slashes(relative);
        String parent = relative.getParent() == null
            ? mount.container() : mount.container() + "/" + slashes(relative.getParent());
        try {
          calls.call("hand " + entry + " back", ENTRY_BOUND, () -> {
            try (InputStream tar = client.copyArchiveFromContainerCmd(containerId, source).exec();
                InputStream owned = new TarOwnershipRewriter(tar, sharedFiles.hostUid(), group)) {
              client.copyArchiveToContainerCmd(containerId).withRemotePath(parent).withTarInputStream(owned).exec();
              return null;
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
        } catch (UncheckedIOException e) {
          throw new IOException("cannot hand " + entry + " back to uid " + sharedFiles.hostUid()
              + " through the Docker daemon: " + e.getCause().getMessage(), e.getCause());
        } catch (RuntimeException e) {
          throw new IOException("cannot hand " + entry + " back to uid " + sharedFiles.hostUid()
              + " through the Docker daemon: " + DaemonErrors.message(e), e);
        }
        handedBack.add(entry);
      }
    }
    return handedBack;
  }

  private static String slashes(Path relative) {
    return relative.toString().replace(java.io.File.separatorChar, '/');
  }
}
