package io.promokit.runtime.k8s.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Makes every {@code @TempDir} of this module's tests under {@link #root()}, the host directory of the
 * contract test's workdir claim: as in production, where the host's workdirs live where it mounts the
 * claim, each one becomes a Pod's {@code subPath}. Set as the default in {@code junit-platform.properties}.
 */
public final class ClaimTempDirFactory implements TempDirFactory {

  /** Where this machine sees a real cluster's workdir claim (see {@code RealClusterContractTest}). */
  public static final String REAL_CLAIM_PATH = "PROMOKIT_K8S_CLAIM_HOST_PATH";

  /**
   * {@code target/claims} of this module, found from where the test classes are; or, for the real-cluster
   * test, the directory named by {@value #REAL_CLAIM_PATH}.
   */
  public static Path root() {
    String real = System.getenv(REAL_CLAIM_PATH);
    if (real != null && !real.isBlank()) {
      return Path.of(real).toAbsolutePath();
    }
    try {
      Path testClasses = Path.of(ClaimTempDirFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path root = testClasses.getParent().resolve("claims");
      Files.createDirectories(root);
      return root.toRealPath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
    Path dir = Files.createTempDirectory(root(), "junit");
    String real = System.getenv(REAL_CLAIM_PATH);
    if (real != null && !real.isBlank()) {
      // volume types that ignore fsGroup (hostPath, local-path, many NFS setups) need the mode instead
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    }
    return dir;
  }
}
