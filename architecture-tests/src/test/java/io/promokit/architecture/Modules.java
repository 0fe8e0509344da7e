package io.promokit.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which module a class comes from, read off where it was loaded from: {@code <module>/target/classes} or
 * {@code <module>/target/*.jar} in the reactor, {@code promokit-<module>-<version>.jar} from a repository. A rule that
 * names a module, not a package, keeps holding when a module adds or moves packages.
 */
final class Modules {

  /** Every module whose classes the rules check; {@link ModuleListTest} keeps it complete. */
  static final List<String> ALL = List.of("expressions", "core", "testkit", "testkit-gitops", "runtime-docker",
      "runtime-k8s", "steps-git", "steps-manifests", "steps-files", "steps-oci", "steps-argocd", "cli", "examples");

  private static final Pattern REACTOR = Pattern.compile("/([^/!]+)/target/(?:classes/|[^/!]+\\.jar!)");
  private static final Pattern REPOSITORY = Pattern.compile("/promokit-([a-z0-9-]+?)-\\d[^/!]*\\.jar!");

  private Modules() {}

  /** The module of a class, or "" for a class that is not promokit's (the JDK's, a library's). */
  static String of(JavaClass javaClass) {
    if (!javaClass.getPackageName().startsWith("io.promokit")) {
      return "";
    }
    return javaClass.getSource().map(source -> of(source.getUri().toString())).orElse("");
  }

  static String of(String uri) {
    Matcher reactor = REACTOR.matcher(uri);
    if (reactor.find()) {
      return reactor.group(1);
    }
    Matcher repository = REPOSITORY.matcher(uri);
    return repository.find() ? repository.group(1) : "";
  }

  /** The modules that have classes among these. */
  static Set<String> present(JavaClasses classes) {
    Set<String> modules = new TreeSet<>();
    classes.forEach(c -> {
      String module = of(c);
      if (!module.isEmpty()) {
        modules.add(module);
      }
    });
    return modules;
  }

  /** Classes of one module. */
  static DescribedPredicate<JavaClass> inModule(String module) {
    return DescribedPredicate.describe("are in module " + module, c -> of(c).equals(module));
  }

  /** Classes in an {@code internal} package (or below one). */
  static boolean isInternal(JavaClass javaClass) {
    String name = javaClass.getPackageName();
    return name.contains(".internal.") || name.endsWith(".internal");
  }
}
