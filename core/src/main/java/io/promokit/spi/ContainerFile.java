package io.promokit.spi;

import java.util.Objects;

/**
 * A file a container gets read-only, such as a kubeconfig granted by a capability. The runtime places
 * every file of a request in one directory and sets {@code PROMOKIT_FILES} to that directory's path
 * inside the container; {@code $(PROMOKIT_FILES)} in a request's env values is replaced by it.
 *
 * @param name the file name (no slashes)
 * @param content the bytes
 */
public record ContainerFile(String name, byte[] content) {
  public ContainerFile {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(content, "content must not be null");
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("file name must be a plain name, but was \"" + name + "\"");
    }
    content = content.clone();
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  @Override
  public String toString() {
    return "ContainerFile[" + name + ", " + content.length + " bytes]";
  }
}
