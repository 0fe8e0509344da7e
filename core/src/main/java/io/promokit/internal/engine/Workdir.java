package io.promokit.internal.engine;

import io.promokit.PromotionException;
import io.promokit.steps.kit.DirectoryTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The promotion's shared working directory: created (or the host's), removed at the end unless kept. */
final class Workdir {
  private static final Logger LOG = LoggerFactory.getLogger(Workdir.class);

  /** How much of the promotion's name goes into an engine-made workdir's name. */
  private static final int MAX_NAME_IN_PREFIX = 100;

  private final Path path;
  private final boolean remove;
  private WorkdirLedger ledger;
  private String engineId;

  private Workdir(Path path, boolean remove) {
    this.path = path;
    this.remove = remove;
  }

  /**
   * The host's directory (created when missing, never removed), or a new one inside {@code root} (or the
   * system's temporary directory when root is null).
   */
  static Workdir open(Path given, Path root, boolean keep, String promotion) {
    try {
      if (given != null) {
        Files.createDirectories(given);
        return new Workdir(given.toRealPath(), false);
      }
      String safe = promotion.replaceAll("[^A-Za-z0-9_.-]", "_");
      // File names are at most 255 bytes: a long promotion name is cut (the random suffix keeps it unique).
      String prefix = "promokit-" + (safe.length() > MAX_NAME_IN_PREFIX ? safe.substring(0, MAX_NAME_IN_PREFIX) : safe)
          + "-";
      if (root != null) {
        Files.createDirectories(root);
        return new Workdir(Files.createTempDirectory(root, prefix).toRealPath(), !keep);
      }
      return new Workdir(Files.createTempDirectory(prefix).toRealPath(), !keep);
    } catch (IOException e) {
      throw new PromotionException("cannot create the working directory"
          + (given == null ? "" : " " + given) + ": " + e.getMessage(), e);
    }
  }

  /** The directory of a waiting promotion, which must still exist. */
  static Workdir resume(Path dir, boolean keep) {
    if (!Files.isDirectory(dir)) {
      throw new PromotionException("the working directory " + dir + " of the promotion is gone; it cannot be resumed");
    }
    try {
      return new Workdir(dir.toRealPath(), !keep);
    } catch (IOException e) {
      throw new PromotionException("cannot use the working directory " + dir + ": " + e.getMessage(), e);
    }
  }

  Path path() {
    return path;
  }

  /**
   * Lists the directory in the ledger when it is the engine's to remove, so that a reap finds it after a crash.
   *
   * @return this
   */
  Workdir listed(WorkdirLedger ledger, String engineId) {
    if (remove && this.ledger == null) {
      this.ledger = ledger;
      this.engineId = engineId;
      ledger.add(engineId, path);
    }
    return this;
  }

  /** Takes the directory off the ledger without removing it: a record of a waiting promotion holds it now. */
  void handOver() {
    if (ledger != null) {
      ledger.remove(engineId, path);
      ledger = null;
    }
  }

  /** Removes the directory if it is the engine's to remove; failures are logged, not thrown. */
  void close() {
    if (!remove) {
      return;
    }
    try {
      DirectoryTrees.delete(path);
      handOver();
    } catch (IOException e) {
      LOG.warn("could not remove the working directory {} (a reap removes it later): {}", path, e.toString());
    }
  }
}
