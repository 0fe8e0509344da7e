package io.promokit.cli;

import io.promokit.PromotionReaper;
import io.promokit.expressions.GoDuration;
import io.promokit.runtime.LocalProcessRuntime;
import io.promokit.runtime.docker.DockerContainerRuntime;
import io.promokit.runtime.k8s.KubernetesContainerRuntime;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.ContainerSelector;
import io.promokit.spi.Leftover;
import io.promokit.steps.git.GitSteps;
import io.promokit.steps.manifests.ManifestSteps;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code promokit reap}: removes what crashed promotions left behind (CLI.md), one line per thing. */
final class ReapCommand implements Subcommand {

  enum Choice { docker, kubernetes, local }

  final Which which = new Which();

  /** What to remove: exactly one of the three. */
  static final class Which {
    String engine;

    String olderThan;

    boolean all;
  }

  boolean dryRun;

  Choice runtime;

  String namespace;

  final KubernetesOptions kubernetes = new KubernetesOptions();

  Clock clock = Clock.systemUTC();

  @Override
  public Arguments arguments() {
    Arguments arguments = new Arguments("promokit reap",
        "Remove what promotions left behind: containers, Pods and their Secrets, processes, scratch folders,"
            + " engine-made workdirs. Prints one line per thing and a summary.",
        "Exit codes: 0 done (or nothing to remove), 1 something could not be removed, 2 bad input.");
    arguments.oneOf(true, group -> group
        .value("--engine", "ID", "What the engine of this id left (its record's engineId).", id -> which.engine = id)
        .value("--older-than", "DURATION",
            "What any engine left that was made more than DURATION ago (Go syntax: 90m, 6h).",
            age -> which.olderThan = age)
        .flag("--all", "Everything promokit-labelled (also what running promotions use).", () -> which.all = true));
    arguments.flag("--dry-run", "Print what would be removed; remove nothing.", () -> dryRun = true);
    arguments.value("--runtime", "NAME",
        "docker | kubernetes | local: whose containers to remove (default: local processes, and Docker"
            + " containers when a daemon answers).",
        Arguments.choice("--runtime", Choice.class, choice -> runtime = choice));
    arguments.value("--namespace", "NS", "kubernetes: namespace of the step Pods.", ns -> namespace = ns);
    kubernetes.declare(arguments);
    return arguments;
  }

  @Override
  public int call(PrintWriter out, PrintWriter err) {
    List<ContainerRuntime> runtimes = new ArrayList<>();
    try {
      ContainerSelector selector = selector();
      if (runtime != Choice.kubernetes && (namespace != null || kubernetes.anySet())) {
        throw new BadInputException("--namespace and the --k8s-* options only apply to --runtime kubernetes");
      }
      runtimes.addAll(runtimes(err));
      Path temp = Path.of(System.getProperty("java.io.tmpdir"));
      PromotionReaper.Builder builder = PromotionReaper.builder()
          .source(ManifestSteps.leftovers(temp))
          .source(GitSteps.leftovers(temp));
      runtimes.forEach(builder::containerRuntime);
      PromotionReaper reaper = builder.build();
      List<Leftover> things = dryRun ? reaper.find(selector) : reaper.reap(selector);
      for (Leftover thing : things) {
        out.println((dryRun ? "would remove " : "removed ") + thing.kind() + " " + thing.name()
            + thing.engine().map(id -> " (engine " + id + ")").orElse(" (its process is gone)")
            + " made " + thing.created());
      }
      out.println("promokit reap: " + summary(things));
      out.flush();
      return ExitCodes.OK;
    } catch (BadInputException e) {
      err.println("promokit reap: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (UncheckedIOException | io.promokit.PromotionException e) {
      err.println("promokit reap: " + e.getMessage());
      return ExitCodes.PROMOTION_FAILED;
    } finally {
      runtimes.forEach(ContainerRuntime::close);
    }
  }

  private ContainerSelector selector() {
    if (which.engine != null) {
      try {
        return ContainerSelector.engine(which.engine);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--engine: " + e.getMessage(), e);
      }
    }
    if (which.olderThan != null) {
      Duration age;
      try {
        age = GoDuration.parse(which.olderThan);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--older-than \"" + which.olderThan + "\": " + e.getMessage(), e);
      }
      if (age.isNegative()) {
        throw new BadInputException("--older-than \"" + which.olderThan + "\": must not be negative");
      }
      return ContainerSelector.all().createdBefore(clock.instant().minus(age));
    }
    return ContainerSelector.all();
  }

  private List<ContainerRuntime> runtimes(PrintWriter err) {
    if (runtime == null) {
      List<ContainerRuntime> found = new ArrayList<>();
      found.add(LocalProcessRuntime.create());
      if (DockerContainerRuntime.isAvailable()) {
        found.add(DockerContainerRuntime.create());
      } else {
        err.println("promokit reap: no Docker daemon answers; Docker containers are not looked for");
      }
      return found;
    }
    return switch (runtime) {
      case local -> List.of(LocalProcessRuntime.create());
      case docker -> {
        if (!DockerContainerRuntime.isAvailable()) {
          throw new BadInputException("--runtime docker: no Docker daemon answers (set DOCKER_HOST or start the daemon)");
        }
        yield List.of(DockerContainerRuntime.create());
      }
      case kubernetes -> List.of(KubernetesContainerRuntime.create(kubernetes.settings(namespace,
          io.promokit.spi.ContainerPolicy.defaults())));
    };
  }

  private String summary(List<Leftover> things) {
    if (things.isEmpty()) {
      return dryRun ? "nothing to remove" : "nothing was left behind";
    }
    Map<String, Integer> byKind = new LinkedHashMap<>();
    things.forEach(thing -> byKind.merge(thing.kind(), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    byKind.forEach((kind, count) -> parts.add(count + " " + kind + (count == 1 ? "" : "s")));
    return (dryRun ? "would remove " : "removed ") + things.size() + ": " + String.join(", ", parts);
  }
}
