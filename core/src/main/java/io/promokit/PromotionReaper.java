package io.promokit;

import io.promokit.internal.engine.WorkdirLedger;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.ContainerSelector;
import io.promokit.spi.Leftover;
import io.promokit.spi.LeftoverSource;
import io.promokit.spi.ManagedContainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Removes what promotions left behind when their host died (kill -9, a crash, a lost machine): the containers or
 * Pods (with their Secrets) or local processes of a container runtime, the working directories engines made
 * (listed in the engine's {@linkplain PromotionEngine.Builder#workdirLedger workdir ledger}), and the scratch
 * folders of step families ({@link LeftoverSource}s, such as {@code ManifestSteps.leftovers} and
 * {@code GitSteps.leftovers}). What to remove is chosen by a {@link ContainerSelector}: one engine's, those made
 * before a moment, or all. The {@code promokit reap} command is this class.
 *
 * <pre>{@code
 * PromotionReaper reaper = PromotionReaper.builder()
 *     .containerRuntime(runtime)
 *     .source(ManifestSteps.leftovers(ManifestSteps.defaultTempRoot()))
 *     .build();
 * reaper.find(ContainerSelector.engine(crashedId));   // a dry run
 * reaper.reap(ContainerSelector.engine(crashedId));   // removes them, returns what it removed
 * }</pre>
 */
public final class PromotionReaper {

  private final List<ContainerRuntime> runtimes;
  private final List<LeftoverSource> sources;

  private PromotionReaper(Builder b) {
    this.runtimes = List.copyOf(b.runtimes);
    List<LeftoverSource> all = new ArrayList<>();
    all.add(WorkdirLedger.at(b.workdirLedger));
    all.addAll(b.sources);
    this.sources = List.copyOf(all);
  }

  /** A builder; with nothing set, a reaper of the default workdir ledger only. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * What {@link #reap} would remove: containers first (a container may still use a workdir), then workdirs and
   * scratch folders.
   *
   * @throws io.promokit.spi.ContainerRuntimeException (retryable) when a runtime's backend cannot be reached
   */
  public List<Leftover> find(ContainerSelector selector) {
    Objects.requireNonNull(selector, "selector must not be null");
    List<Leftover> found = new ArrayList<>();
    for (ContainerRuntime runtime : runtimes) {
      found.addAll(containers(runtime, selector));
    }
    for (LeftoverSource source : sources) {
      found.addAll(source.find(selector));
    }
    return found;
  }

  /**
   * Removes what the selector covers: the runtimes' containers (stopped first), then the listed workdirs and the
   * sources' folders.
   *
   * @return what was removed, in that order
   * @throws io.promokit.spi.ContainerRuntimeException (retryable) when a runtime's backend cannot be reached
   * @throws java.io.UncheckedIOException when a folder could not be deleted (after the others)
   */
  public List<Leftover> reap(ContainerSelector selector) {
    Objects.requireNonNull(selector, "selector must not be null");
    List<Leftover> removed = new ArrayList<>();
    for (ContainerRuntime runtime : runtimes) {
      List<Leftover> listed = containers(runtime, selector);
      if (!listed.isEmpty()) {
        runtime.reap(selector);
        removed.addAll(listed);
      }
    }
    RuntimeException failure = null;
    for (LeftoverSource source : sources) {
      for (Leftover leftover : source.find(selector)) {
        try {
          if (source.remove(leftover)) {
            removed.add(leftover);
          }
        } catch (RuntimeException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return removed;
  }

  private static List<Leftover> containers(ContainerRuntime runtime, ContainerSelector selector) {
    String kind = switch (runtime.name()) {
      case "kubernetes" -> "kubernetes Pod";
      case "local" -> "local process";
      default -> runtime.name() + " container";
    };
    List<Leftover> found = new ArrayList<>();
    for (ManagedContainer container : runtime.list(selector)) {
      found.add(new Leftover(kind, container.id(), container.engineId().orElse(null), container.created()));
    }
    return found;
  }

  /** Builds a {@link PromotionReaper}. */
  public static final class Builder {
    private final List<ContainerRuntime> runtimes = new ArrayList<>();
    private final List<LeftoverSource> sources = new ArrayList<>();
    private Path workdirLedger = WorkdirLedger.defaultRoot();

    private Builder() {}

    /** A runtime whose containers to remove (repeatable); it must be able to {@code list} them. */
    public Builder containerRuntime(ContainerRuntime runtime) {
      runtimes.add(Objects.requireNonNull(runtime, "runtime must not be null"));
      return this;
    }

    /** The folder engines listed their working directories in (default {@code <java.io.tmpdir>/promokit-workdirs}). */
    public Builder workdirLedger(Path folder) {
      this.workdirLedger = Objects.requireNonNull(folder, "workdirLedger must not be null").toAbsolutePath();
      return this;
    }

    /** Where a step family leaves scratch folders or helper processes (repeatable). */
    public Builder source(LeftoverSource source) {
      sources.add(Objects.requireNonNull(source, "source must not be null"));
      return this;
    }

    /** The reaper. */
    public PromotionReaper build() {
      return new PromotionReaper(this);
    }
  }
}
