package io.promokit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Reads the version Maven wrote into {@code version.properties} at build time. */
final class VersionProvider {

  private VersionProvider() {}

  /** {@code promokit 1.2.3}, or {@code promokit unknown} outside a build. */
  static String version() {
    Properties props = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the version of promokit: " + e.getMessage(), e);
    }
    return "promokit " + props.getProperty("version", "unknown");
  }
}
