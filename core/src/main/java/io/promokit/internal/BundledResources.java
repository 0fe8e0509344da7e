package io.promokit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Reads a resource of promokit's own straight from the jar or class directory its anchor class came from.
 * {@code Class.getResourceAsStream} asks the parent class loaders first, and the JDK's loaders search each of
 * their ~70 modules for a name in no module's package: some 2 ms per schema on a cold JVM, which every
 * {@code promokit validate} paid for each step it checks. The jar is open already (its classes were loaded from
 * it, unless they all came from a class-data archive), and this keeps it open.
 */
final class BundledResources {

  private static final Map<Path, JarFile> OPEN = new HashMap<>();

  private BundledResources() {}

  /**
   * The bytes of {@code resource}, named as for {@link Class#getResourceAsStream} (relative to the anchor's
   * package unless it starts with {@code /}); empty when the anchor does not come from a local jar or directory
   * or the resource is not there (the caller then asks the class loader, whose answer is the standard one).
   */
  static Optional<byte[]> read(Class<?> anchor, String resource) {
    Path origin = origin(anchor);
    if (origin == null) {
      return Optional.empty();
    }
    String entry = resource.startsWith("/") ? resource.substring(1)
        : anchor.getPackageName().replace('.', '/') + "/" + resource;
    try {
      if (Files.isDirectory(origin)) {
        Path file = origin.resolve(entry);
        return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
      }
      JarFile jar = jar(origin);
      ZipEntry found = jar.getEntry(entry);
      if (found == null || found.isDirectory()) {
        return Optional.empty();
      }
      try (InputStream in = jar.getInputStream(found)) {
        return Optional.of(in.readAllBytes());
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The jar, opened once and kept open, as the class loader keeps the jars it loads from: reading its index is
   * the cost (the CLI's jar has 15,000 entries, ~5 ms), and a jar closed after each read was read again for the
   * next schema.
   */
  private static JarFile jar(Path file) throws IOException {
    synchronized (OPEN) {
      JarFile jar = OPEN.get(file);
      if (jar == null) {
        jar = new JarFile(file.toFile(), false);
        OPEN.put(file, jar);
      }
      return jar;
    }
  }

  private static Path origin(Class<?> anchor) {
    CodeSource source = anchor.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    if (location == null || !"file".equals(location.getProtocol())) {
      return null;
    }
    try {
      return Path.of(location.toURI());
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
