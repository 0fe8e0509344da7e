package io.promokit.steps.manifests.internal.helm;

import com.marcnuri.helm.jni.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ServiceLoader;

/**
 * helm-java's native library (Helm's Go SDK, about 95 MB unpacked), extracted once per {@link HelmWorkspace}
 * so that each Helm worker JVM loads it without unpacking it again. helm-java itself would extract it into a new
 * {@code helm-java*} temp folder per JVM and leave it behind when the JVM is killed.
 */
final class HelmNativeLibrary {

  private HelmNativeLibrary() {}

  /** Which native library this platform needs, as helm-java's service loader finds it. */
  static NativeLibrary platform() {
    for (NativeLibrary library : ServiceLoader.load(NativeLibrary.class, HelmNativeLibrary.class.getClassLoader())) {
      return library;
    }
    throw new IllegalStateException("helm-java has no native library for this platform ("
        + System.getProperty("os.name") + " " + System.getProperty("os.arch")
        + "): add the com.marcnuri.helm-java artifact for it (linux-amd64, linux-arm64, darwin-*, windows-amd64)");
  }

  /** Extracts the library into {@code folder} (once) and returns its path. */
  static Path extractInto(Path folder) throws IOException {
    NativeLibrary library = platform();
    Path target = folder.resolve(library.getBinaryName());
    if (Files.isRegularFile(target)) {
      return target;
    }
    Path partial = folder.resolve(library.getBinaryName() + ".partial");
    try (InputStream in = library.getClass().getResourceAsStream("/" + library.getBinaryName())) {
      if (in == null) {
        throw new IOException("the helm-java jar holds no " + library.getBinaryName());
      }
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }
}
