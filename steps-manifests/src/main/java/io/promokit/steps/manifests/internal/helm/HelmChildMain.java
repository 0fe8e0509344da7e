package io.promokit.steps.manifests.internal.helm;

import com.marcnuri.helm.jni.DependencyOptions;
import com.marcnuri.helm.jni.HelmLib;
import com.marcnuri.helm.jni.RegistryOptions;
import com.marcnuri.helm.jni.Result;
import com.marcnuri.helm.jni.TemplateOptions;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The program a Helm call runs as, in a child JVM of its own ({@link HelmChild} starts it): Helm's settings
 * are process-wide ({@code HELM_*}), its native calls cannot be interrupted, and registry logins write a
 * config file, so each call gets its own process, Helm home and credentials, and is killed on abort.
 *
 * <p>The request arrives on standard input as {@link Properties} (secrets never reach the command line);
 * the result goes to {@code <call>/result}, an error to {@code <call>/error} with exit code 2.
 */
public final class HelmChildMain {

  private HelmChildMain() {}

  /** Runs the request read from standard input. */
  public static void main(String[] args) throws IOException {
    Properties request = new Properties();
    request.load(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
    Path call = Path.of(request.getProperty("call"));
    try {
      HelmLib helm = Native.load(request.getProperty("library"), HelmLib.class);
      String result = run(helm, request);
      Files.writeString(call.resolve("result"), result, StandardCharsets.UTF_8);
      System.exit(0);
    } catch (HelmFailure e) {
      Files.writeString(call.resolve("error"), e.getMessage(), StandardCharsets.UTF_8);
      System.exit(2);
    }
  }

  private static String run(HelmLib helm, Properties request) {
    for (int i = 0; request.containsKey("login." + i + ".host"); i++) {
      String host = request.getProperty("login." + i + ".host");
      check("failed to log in to " + host, helm.RegistryLogin(new RegistryOptions(host,
          request.getProperty("login." + i + ".username"), request.getProperty("login." + i + ".password"),
          null, null, null, 0, flag(request, "login." + i + ".plainHttp"), 0)));
    }
    String chart = request.getProperty("chart");
    return switch (request.getProperty("op")) {
      case "template" -> {
        if (flag(request, "buildDependencies") == 1) {
          check("failed to build dependencies", helm.DependencyBuild(new DependencyOptions(chart, null, 0, 0, 0)));
        }
        yield check("failed to render chart", helm.Template(new TemplateOptions(request.getProperty("name"), null,
            chart, request.getProperty("namespace"), request.getProperty("kubeVersion"), 0, 0, null, null,
            request.getProperty("valuesFile"), null, null, null, 0, 0, null, 0, null)));
      }
      case "update" -> check("failed to update chart dependencies",
          helm.DependencyUpdate(new DependencyOptions(chart, null, 0, 0, 0)));
      default -> throw new HelmFailure("unknown operation " + request.getProperty("op"));
    };
  }

  private static int flag(Properties request, String key) {
    return Boolean.parseBoolean(request.getProperty(key)) ? 1 : 0;
  }

  private static String check(String what, Result result) {
    if (result.err != null && !result.err.isEmpty()) {
      throw new HelmFailure(what + ": " + result.err);
    }
    return result.out == null ? "" : result.out;
  }

  /** Helm returned an error. */
  private static final class HelmFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HelmFailure(String message) {
      super(message, null, false, false);
    }
  }
}
