package io.promokit.architecture;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs code in a class loader of its own over the test class path, so that a test can tell which classes that
 * code loads, as a cold {@code promokit} command would: for example that registering a step module makes no
 * Jackson mapper. The JVM's own classes are shared; every class of the class path (project and libraries) is
 * loaded afresh, so what the test JVM loaded before does not count.
 *
 * <pre>{@code
 * try (FreshClassLoading fresh = FreshClassLoading.create()) {
 *   fresh.run(RegisterTheFileSteps.class);      // a public Runnable with a public no-argument constructor
 *   assertThat(fresh.loaded("com.fasterxml.jackson.databind.ObjectMapper")).isFalse();
 * }
 * }</pre>
 */
final class FreshClassLoading implements AutoCloseable {

  private final Loader loader;

  private FreshClassLoading(Loader loader) {
    this.loader = loader;
  }

  /** A new loader over {@code java.class.path} (surefire's manifest-only jar names the rest in its manifest). */
  static FreshClassLoading create() {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        try {
          urls.add(new File(entry).toURI().toURL());
        } catch (MalformedURLException e) {
          throw new IllegalStateException("class path entry " + entry + " is not a URL", e);
        }
      }
    }
    return new FreshClassLoading(new Loader(urls.toArray(URL[]::new)));
  }

  /**
   * Loads {@code action} anew in this loader and runs a new instance of it.
   *
   * @param action a public class with a public no-argument constructor
   */
  void run(Class<? extends Runnable> action) {
    Objects.requireNonNull(action, "action must not be null");
    try {
      Object instance = Class.forName(action.getName(), true, loader).getConstructor().newInstance();
      ((Runnable) instance).run();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot run " + action.getName() + " in a fresh class loader", e);
    }
  }

  /** Whether this loader has loaded the class (by its binary name) so far. */
  boolean loaded(String className) {
    return loader.hasLoaded(className);
  }

  @Override
  public void close() {
    try {
      loader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parent: the platform loader, so nothing of the class path comes from the test's own loader. */
  private static final class Loader extends URLClassLoader {
    Loader(URL[] urls) {
      super("fresh", urls, ClassLoader.getPlatformClassLoader());
    }

    boolean hasLoaded(String className) {
      synchronized (getClassLoadingLock(className)) {
        return findLoadedClass(className) != null;
      }
    }
  }
}
