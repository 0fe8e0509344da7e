package io.promokit.steps.manifests.internal.helm;

import com.marcnuri.helm.jni.HelmLib;
import com.sun.jna.Native;
import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.steps.kit.ProcessResult;
import io.promokit.steps.kit.ProcessRunner;
import io.promokit.steps.kit.ProcessSpec;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Runs one Helm call in a child JVM ({@link HelmChildMain}) with its own Helm home, temp folder and
 * registry logins, bounded by the step's deadline and killed (with its process tree) on abort. The call's
 * folder is removed afterwards, whatever happened.
 */
public final class HelmChild {

  /** One registry login for the call. */
  public record Login(String host, String username, String password, boolean plainHttp) {}

  private final HelmWorkspace workspace;
  private final Path javaBinary;
  private final String classpath;

  public HelmChild(HelmWorkspace workspace, Path javaBinary) {
    this.workspace = workspace;
    this.javaBinary = javaBinary;
    this.classpath = classpath();
  }

  /** A request being put together; {@link #run} sends it. */
  public final class Call implements AutoCloseable {
    private final Path folder;
    private final Properties request = new Properties();
    private final List<Login> logins = new ArrayList<>();

    private Call(String op) throws IOException {
      this.folder = workspace.newCall();
      request.setProperty("op", op);
      request.setProperty("call", folder.toString());
    }

    /** The call's private folder (removed when the call is closed). */
    public Path folder() {
      return folder;
    }

    /** The Helm home the child sees ({@code HELM_CONFIG_HOME} etc. live below it). */
    public Path helmHome() {
      return folder.resolve("home");
    }

    public Call set(String key, String value) {
      if (value != null) {
        request.setProperty(key, value);
      }
      return this;
    }

    public Call login(Login login) {
      logins.add(login);
      return this;
    }

    /**
     * Runs the call and returns what Helm printed as its result.
     *
     * @param masker masks secrets in the child's log lines and in error messages
     * @throws StepException with Helm's error message, or when the child could not run
     */
    public String run(StepContext context, UnaryOperator<String> masker) throws IOException, InterruptedException {
      request.setProperty("library", workspace.library().toString());
      for (int i = 0; i < logins.size(); i++) {
        Login login = logins.get(i);
        request.setProperty("login." + i + ".host", login.host());
        request.setProperty("login." + i + ".username", login.username());
        request.setProperty("login." + i + ".password", login.password());
        request.setProperty("login." + i + ".plainHttp", Boolean.toString(login.plainHttp()));
      }
      StringWriter text = new StringWriter();
      request.store(text, null);
      List<String> command = List.of(javaBinary.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
          "-Xshare:auto", "-Djava.io.tmpdir=" + folder.resolve("tmp"), "-Djna.tmpdir=" + folder.resolve("tmp"),
          "-cp", classpath, HelmChildMain.class.getName());
      ProcessSpec.Builder spec = ProcessSpec.builder(command)
          .directory(folder)
          .env(environment())
          .stdin(text.toString().getBytes(StandardCharsets.UTF_8))
          .description("the Helm child process")
          .captureLimit(64 * 1024);
      logins.stream().map(Login::password).filter(p -> !p.isEmpty()).forEach(spec::secret);
      ProcessResult outcome = ProcessRunner.forStep(context).run(spec.build());
      Path error = folder.resolve("error");
      if (Files.exists(error)) {
        throw new StepException(masker.apply(Files.readString(error, StandardCharsets.UTF_8).strip()));
      }
      Path result = folder.resolve("result");
      if (outcome.exitCode() != 0 || !Files.exists(result)) {
        throw new StepException("the Helm child process failed (exit code " + outcome.exitCode() + ")"
            + (outcome.stderrTail().isBlank() ? "" : ": " + outcome.stderrTail().strip()));
      }
      return Files.readString(result, StandardCharsets.UTF_8);
    }

    private Map<String, String> environment() {
      Path home = helmHome();
      Map<String, String> env = new LinkedHashMap<>();
      env.put("HOME", home.toString());
      env.put("HELM_CACHE_HOME", home.resolve("cache").toString());
      env.put("HELM_CONFIG_HOME", home.resolve("config").toString());
      env.put("HELM_DATA_HOME", home.resolve("data").toString());
      env.put("TMPDIR", folder.resolve("tmp").toString());
      return env;
    }

    @Override
    public void close() {
      HelmWorkspace.deleteTree(folder);
    }
  }

  /** Starts putting a call together: {@code template} or {@code update}. */
  public Call call(String op) throws IOException {
    return new Call(op);
  }

  /** The child's class path: this module, helm-java's JNA binding, and JNA. */
  private static String classpath() {
    Set<String> entries = new LinkedHashSet<>();
    for (Class<?> type : new Class<?>[] {HelmChildMain.class, HelmLib.class, Native.class}) {
      try {
        entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (URISyntaxException | RuntimeException e) {
        throw new IllegalStateException("cannot tell where " + type.getName() + " was loaded from, so the Helm "
            + "child process cannot be given a class path: " + e.getMessage(), e);
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }
}
