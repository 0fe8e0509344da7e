package io.promokit.steps.manifests;

import com.marcnuri.helm.jni.HelmLib;
import com.marcnuri.helm.jni.NativeLibrary;
import com.marcnuri.helm.jni.PushOptions;
import com.marcnuri.helm.jni.RegistryOptions;
import com.marcnuri.helm.jni.Result;
import com.sun.jna.Native;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

/**
 * Pushes a packaged chart to an OCI registry with Helm's SDK, in a JVM of its own with a temporary Helm home
 * (so the test JVM's and the user's Helm settings stay untouched). The password goes through standard input.
 */
final class OciChartPush {

  private OciChartPush() {}

  /** Run by {@link #push} in the child JVM: args are library, chart archive, remote, registry, user. */
  public static void main(String[] args) throws Exception {
    String password = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    HelmLib helm = Native.load(args[0], HelmLib.class);
    check(helm.RegistryLogin(new RegistryOptions(args[3], args[4], password, null, null, null, 0, 1, 0)));
    check(helm.Push(new PushOptions(args[1], args[2], null, null, null, 0, 1, 0)));
  }

  private static void check(Result result) {
    if (result.err != null && !result.err.isEmpty()) {
      System.err.println(result.err);
      System.exit(2);
    }
  }

  static void push(Path folder, byte[] chart, String chartFile, String remote, String registry, String user,
      String password) throws Exception {
    NativeLibrary library = ServiceLoader.load(NativeLibrary.class).iterator().next();
    Path lib = folder.resolve(library.getBinaryName());
    try (InputStream in = library.getClass().getResourceAsStream("/" + library.getBinaryName())) {
      Files.copy(in, lib);
    }
    Path archive = Files.write(folder.resolve(chartFile), chart);
    Path home = Files.createDirectories(folder.resolve("home"));
    ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djna.tmpdir=" + folder, "-cp", System.getProperty("java.class.path"), OciChartPush.class.getName(),
        lib.toString(), archive.toString(), remote, registry, user)).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(Map.of("HOME", home.toString(), "HELM_CONFIG_HOME", home.resolve("config").toString(),
        "HELM_CACHE_HOME", home.resolve("cache").toString(), "HELM_DATA_HOME", home.resolve("data").toString()));
    Process process = builder.start();
    process.getOutputStream().write(password.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("pushing the test chart failed: " + output);
    }
  }
}
