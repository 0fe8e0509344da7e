package io.promokit.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The static BusyBox that launches containers with secret env values (see {@link SecretLauncher}),
 * taken from the helper image as the Kubernetes runtime's init container takes it: the same image and
 * binary settings serve both runtimes. The binary is copied once per image id out of a created (never
 * started) container with the daemon's archive API, into {@code <scratch>/helpers/<image id>-<hash>/busybox}
 * (mode 0755; the folder's name also carries a hash of the binary's path), and bind-mounted read-only into each container that needs it. Docker's own init
 * ({@code docker-init}) is injected the same way by the daemon, but cannot set env from a file; a host
 * binary might not be static or present, the helper image is a pinned, known one.
 */
final class HelperBinary {

  /** Where containers see the binary. */
  static final String MOUNT = "/promokit/bin/busybox";

  private final DockerClient client;
  private final DaemonCalls calls;
  private final ImagePuller puller;
  private final ImageReference image;
  private final String binary;
  private final Path scratch;
  private final Map<String, Path> byImageId = new HashMap<>();

  HelperBinary(DockerClient client, DaemonCalls calls, ImagePuller puller, ImageReference image, String binary,
      Path scratch) {
    this.client = client;
    this.calls = calls;
    this.puller = puller;
    this.image = image;
    this.binary = binary;
    this.scratch = scratch;
  }

  ImageReference image() {
    return image;
  }

  /**
   * The host path of the binary, pulling the helper image and copying the binary out when needed.
   *
   * @throws ContainerRuntimeException terminal when the image or the binary is missing, retryable when the
   *     daemon or the registry did not answer
   */
  synchronized Path path() throws InterruptedException {
    if (!puller.isPresent(image)) {
      puller.pull(image, List.of(), stream -> { });
    }
    InspectImageResponse info = calls.call("inspect the helper image " + image.text(),
        () -> client.inspectImageCmd(image.canonical()).exec());
    String id = Objects.requireNonNull(info.getId(), "image id").replaceFirst("^sha256:", "");
    Path known = byImageId.get(id);
    if (known != null && Files.isRegularFile(known)) {
      return known;
    }
    // One folder per image and path in it: runtimes sharing the scratch folder share what matches.
    Path folder = scratch.resolve("helpers").resolve(id.substring(0, Math.min(16, id.length())) + "-"
        + Integer.toHexString(binary.hashCode()));
    Path target = folder.resolve("busybox");
    if (!Files.isRegularFile(target)) {
      copyOut(target);
    }
    byImageId.put(id, target);
    return target;
  }

  private void copyOut(Path target) {
    String container = calls.call("create a container of the helper image " + image.text(), () -> client
        .createContainerCmd(image.canonical())
        .withEntrypoint(binary)
        .withLabels(Map.of(ContainerLabels.MANAGED_BY, ContainerLabels.MANAGED_BY_VALUE, "promokit.io/helper", "true"))
        .exec().getId());
    try {
      Files.createDirectories(target.getParent());
      Path temporary = Files.createTempFile(target.getParent(), "busybox-", ".part");
      try {
        calls.call("copy " + binary + " out of the helper image " + image.text(), () -> {
          try (InputStream tar = client.copyArchiveFromContainerCmd(container, binary).exec()) {
            extractSingleFile(tar, temporary);
            return null;
          } catch (IOException e) {
            throw ContainerRuntimeException.terminal("cannot copy " + binary + " out of the helper image \"" + image.text()
                + "\": " + e.getMessage(), e);
          }
        });
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw ContainerRuntimeException.retryable("cannot write the helper binary to " + target + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (e instanceof ContainerRuntimeException) {
        throw e;
      }
      boolean missing = DaemonErrors.isNotFound(e);
      String message = "cannot copy " + binary + " out of the helper image \"" + image.text() + "\""
          + (missing ? " (no such file in the image; set helperBinary to where its static BusyBox is)" : "") + ": "
          + DaemonErrors.message(e);
      throw missing || DaemonErrors.daemonAnswered(e) ? ContainerRuntimeException.terminal(message, e)
          : ContainerRuntimeException.retryable(message, e);
    } finally {
      try {
        calls.run("remove the helper container " + container,
            () -> client.removeContainerCmd(container).withForce(true).exec());
      } catch (RuntimeException e) {
        // Labelled: reap finds it.
      }
    }
  }

  /** Writes the content of the archive's one regular file; a link or folder is an error naming it. */
  private void extractSingleFile(InputStream tar, Path target) throws IOException {
    byte[] header = new byte[TarOwnershipRewriter.BLOCK];
    while (true) {
      if (tar.readNBytes(header, 0, header.length) < header.length || header[0] == 0) {
        throw new IOException("the archive holds no regular file");
      }
      char type = (char) header[156];
      long size = Long.parseLong(field(header, 124, 12).isEmpty() ? "0" : field(header, 124, 12), 8);
      long padded = (size + TarOwnershipRewriter.BLOCK - 1) / TarOwnershipRewriter.BLOCK * TarOwnershipRewriter.BLOCK;
      if (type == '0' || type == '\0') {
        try (var out = Files.newOutputStream(target)) {
          long copied = copy(tar, out, size);
          if (copied < size) {
            throw new IOException("the archive ended inside " + binary);
          }
        }
        return;
      }
      if (type == '2' || type == '1') {
        throw new IOException(binary + " is a link (to " + field(header, 157, 100)
            + ") in the helper image; set helperBinary to the file itself");
      }
      if (type != 'x' && type != 'g' && type != 'L' && type != 'K') {
        throw new IOException(binary + " is not a regular file in the helper image (tar type " + type + ")");
      }
      tar.skipNBytes(padded); // PAX or GNU long-name records: the file follows
    }
  }

  private static long copy(InputStream in, java.io.OutputStream out, long size) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = size;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      left -= n;
    }
    return size - left;
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII).strip();
  }
}
