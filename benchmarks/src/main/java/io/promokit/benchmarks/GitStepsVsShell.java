package io.promokit.benchmarks;

import io.promokit.PromotionContext;
import io.promokit.documents.PromotionDocuments;
import io.promokit.PromotionEngine;
import io.promokit.PromotionPhase;
import io.promokit.records.PromotionRecord;
import io.promokit.documents.PromotionTemplate;
import io.promokit.StepRegistry;
import io.promokit.spi.CredentialType;
import io.promokit.spi.Credentials;
import io.promokit.spi.CredentialsProvider;
import io.promokit.steps.git.GitSteps;
import io.promokit.testkit.gitops.BareRepository;
import io.promokit.testkit.gitops.CommitSpec;
import io.promokit.testkit.gitops.GitHttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Clone + edit + commit + push of a large repository (10,000 files, 500 commits) through the git steps
 * (git-clone, file-write, git-commit, git-push in a {@link PromotionSequence}) against the same git commands
 * in a shell script, all against one smart-HTTP server (git http-backend behind basic auth) on 127.0.0.1,
 * credentials through GIT_ASKPASS in both. After a warm-up, each round runs the variants in a shuffled
 * order. Reports mean and median of each and the ratios (goal: the steps add at most 10 %).
 *
 * <p>Two shell variants: {@code same commands} runs exactly the git commands the steps run (the steps' log
 * lists them); {@code minimal} runs only clone --bare, worktree add, add, commit, push.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.promokit.benchmarks.GitStepsVsShell [ROUNDS] [FILES] [COMMITS]
 * }</pre>
 */
public final class GitStepsVsShell {

  private static final int WARM_UP = 2;
  private static final String USER = "bench";

  private static final String TEMPLATE = """
      vars:
        - name: repoURL
        - name: round
      steps:
        - uses: git-clone
          config:
            repoURL: ${{ vars.repoURL }}
            checkout:
              - branch: main
                path: ./repo
        - uses: file-write
          config:
            path: ./repo/bench/round.txt
            contents: round ${{ vars.round }}
            overwrite: true
        - uses: git-commit
          config:
            path: ./repo
            message: bench round ${{ vars.round }}
        - uses: git-push
          config:
            path: ./repo
      """;

  /** The commands the steps run, in their order (see a step log), with the same environment. */
  private static final String SAME_COMMANDS = """
      set -euo pipefail
      url=$1; work=$2; round=$3
      home=$(mktemp -d "$work/repo-XXXXXXXX")
      export HOME=$home GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 GIT_EDITOR=true GIT_MERGE_AUTOEDIT=no LC_ALL=C \\
        GIT_HTTP_LOW_SPEED_LIMIT=1024 GIT_HTTP_LOW_SPEED_TIME=30 \\
        GIT_SSH_COMMAND='ssh -F /dev/null -o BatchMode=yes -o LogLevel=ERROR -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'
      git config --file "$home/.gitconfig" user.name promokit
      git config --file "$home/.gitconfig" user.email no-reply@promokit.io
      git config --file "$home/.gitconfig" init.defaultBranch main
      cd "$home"
      git clone --bare --quiet -- "$url" "$home/repo"
      cd "$home/repo"
      git rev-parse --verify --quiet 'refs/heads/main^{commit}' >/dev/null
      git worktree add --quiet "$work/repo" main
      cd "$work/repo"
      git rev-parse HEAD >/dev/null
      mkdir -p bench && printf 'round %s' "$round" > bench/round.txt
      (cd "$home/repo" && git config --list -z >/dev/null)
      git add .
      git status --porcelain >/dev/null
      printf 'bench round %s' "$round" | git commit --quiet --file=-
      git rev-parse HEAD >/dev/null
      (cd "$home/repo" && git config --list -z >/dev/null)
      git branch --show-current >/dev/null
      git fetch --quiet --no-tags origin +refs/heads/main:refs/remotes/origin/main
      git merge-base --is-ancestor refs/remotes/origin/main HEAD
      git push origin HEAD:refs/heads/main 2>/dev/null
      git rev-parse HEAD >/dev/null
      """;

  /** The minimal list: bare clone, worktree add, add, commit, push. */
  private static final String MINIMAL = """
      set -euo pipefail
      url=$1; work=$2; round=$3
      export HOME=$work GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 LC_ALL=C \\
        GIT_AUTHOR_NAME=promokit GIT_AUTHOR_EMAIL=no-reply@promokit.io \\
        GIT_COMMITTER_NAME=promokit GIT_COMMITTER_EMAIL=no-reply@promokit.io
      git clone --bare --quiet -- "$url" "$work/bare"
      git -C "$work/bare" worktree add --quiet "$work/repo" main
      cd "$work/repo"
      mkdir -p bench && printf 'round %s' "$round" > bench/round.txt
      git add .
      git commit --quiet -m "bench round $round"
      git push --quiet origin HEAD:refs/heads/main
      """;

  private static final String ASKPASS = """
      #!/bin/sh
      case "$1" in
        [Uu]sername*) printf '%s\\n' "$PROMOKIT_GIT_USERNAME" ;;
        *) printf '%s\\n' "$PROMOKIT_GIT_PASSWORD" ;;
      esac
      """;

  private GitStepsVsShell() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int commits = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    Path root = Files.createTempDirectory("promokit-bench-git-");
    try {
      run(root, rounds, files, commits);
    } finally {
      deleteTree(root);
    }
  }

  private static void run(Path root, int rounds, int files, int commits) throws Exception {
    Path served = Files.createDirectories(root.resolve("served"));
    long made = System.nanoTime();
    BareRepository repo = BareRepository.create(served.resolve("big.git"));
    repo.commit(history(files, commits));
    System.out.printf(Locale.ROOT, "GitStepsVsShell: %d rounds; repository of %d files and %d commits made in %.1f s%n",
        rounds, files, commits, (System.nanoTime() - made) / 1e9);
    String password = "pw-" + UUID.randomUUID();
    Path askpass = root.resolve("askpass.sh");
    Files.writeString(askpass, ASKPASS);
    Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString("rwx------"));
    Path sameScript = Files.writeString(root.resolve("same-commands.sh"), SAME_COMMANDS);
    Path minimalScript = Files.writeString(root.resolve("minimal.sh"), MINIMAL);
    Path scratch = Files.createDirectories(root.resolve("scratch"));
    try (GitHttpServer server = GitHttpServer.builder(served).user(USER, password).start()) {
      String url = server.url("big.git");
      GitSteps steps = GitSteps.builder()
          .credentials(CredentialsProvider.builder()
              .add(CredentialType.GIT, url, Credentials.usernamePassword(USER, password)).build())
          .allowCredentialsOverHttp(true)
          .environment(Map.of())
          .scratchDirectory(scratch)
          .build();
      StepRegistry registry = StepRegistry.builder().withBuiltins().register(steps.steps()).build();
      // One engine for every round, as a host would keep one (its threads end with the JVM).
      PromotionEngine engine = PromotionEngine.builder().registry(registry).build();
      PromotionTemplate template = PromotionDocuments.parse(TEMPLATE, "bench.yaml").singleTemplate();
      Map<String, String> shellEnv = Map.of("GIT_ASKPASS", askpass.toString(),
          "PROMOKIT_GIT_USERNAME", USER, "PROMOKIT_GIT_PASSWORD", password);
      Variant stepsVariant = new Variant("steps") {
        @Override
        long once(Path work, int round) {
          long start = System.nanoTime();
          PromotionRecord record = engine.sequence(template)
              .context(PromotionContext.builder().promotion("bench-" + round).build())
              .var("repoURL", url)
              .var("round", String.valueOf(round))
              .workdir(work)
              .build()
              .run();
          long took = System.nanoTime() - start;
          if (record.phase() != PromotionPhase.SUCCEEDED) {
            throw new IllegalStateException("the steps failed: " + record.message());
          }
          return took;
        }
      };
      Variant same = new ShellVariant("shell, same commands", sameScript, url, shellEnv);
      Variant minimal = new ShellVariant("shell, minimal", minimalScript, url, shellEnv);
      List<Variant> variants = List.of(stepsVariant, same, minimal);
      int round = 0;
      for (int i = 0; i < WARM_UP; i++) {
        for (Variant v : variants) {
          v.measure(root, round++, false);
        }
      }
      Random order = new Random(42);
      for (int i = 0; i < rounds; i++) {
        List<Variant> shuffled = new ArrayList<>(variants);
        Collections.shuffle(shuffled, order);
        for (Variant v : shuffled) {
          v.measure(root, round++, true);
        }
      }
      for (Variant v : variants) {
        System.out.printf(Locale.ROOT, "  %-22s mean %8.1f ms   median %8.1f ms%n", v.name, v.mean(), v.median());
      }
      System.out.printf(Locale.ROOT, "  steps / shell (same commands): mean %.3f, median %.3f  (goal <= 1.10)%n",
          stepsVariant.mean() / same.mean(), stepsVariant.median() / same.median());
      System.out.printf(Locale.ROOT, "  steps / shell (minimal):       mean %.3f, median %.3f%n",
          stepsVariant.mean() / minimal.mean(), stepsVariant.median() / minimal.median());
      System.out.printf(Locale.ROOT, "  remote now has %d commits on main%n", repo.messages("main").size());
    }
  }

  /** One commit adding every file (in 100 folders), then commits that each change a few of them. */
  private static List<CommitSpec> history(int files, int commits) {
    List<CommitSpec> specs = new ArrayList<>();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    CommitSpec first = CommitSpec.on("main").message("add " + files + " files").at(t);
    for (int i = 0; i < files; i++) {
      first.write("apps/app-" + (i % 100) + "/file-" + i + ".yaml", "name: file-" + i + "\nvalue: " + i + "\n");
    }
    specs.add(first);
    for (int c = 1; c < commits; c++) {
      CommitSpec spec = CommitSpec.on("main").message("change " + c).at(t.plusSeconds(c));
      for (int k = 0; k < 3; k++) {
        int i = (c * 7 + k * 13) % files;
        spec.write("apps/app-" + (i % 100) + "/file-" + i + ".yaml", "name: file-" + i + "\nvalue: " + c + "\n");
      }
      specs.add(spec);
    }
    return specs;
  }

  /** A way to clone, edit, commit and push, timed per run in a fresh working directory. */
  private abstract static class Variant {
    final String name;
    final List<Long> nanos = new ArrayList<>();

    Variant(String name) {
      this.name = name;
    }

    abstract long once(Path work, int round) throws Exception;

    void measure(Path root, int round, boolean keep) throws Exception {
      Path work = Files.createTempDirectory(root, "work-");
      try {
        long took = once(work, round);
        if (keep) {
          nanos.add(took);
        }
      } finally {
        deleteTree(work);
      }
    }

    double mean() {
      return nanos.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
    }

    double median() {
      List<Long> sorted = new ArrayList<>(nanos);
      sorted.sort(null);
      int n = sorted.size();
      return n == 0 ? 0 : (n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0) / 1e6;
    }
  }

  /** The same work as a bash script running git. */
  private static final class ShellVariant extends Variant {
    private final Path script;
    private final String url;
    private final Map<String, String> env;

    ShellVariant(String name, Path script, String url, Map<String, String> env) {
      super(name);
      this.script = script;
      this.url = url;
      this.env = env;
    }

    @Override
    long once(Path work, int round) throws Exception {
      ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), url, work.toString(), String.valueOf(round))
          .redirectErrorStream(true);
      pb.environment().clear();
      pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
      pb.environment().putAll(env);
      long start = System.nanoTime();
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException(name + " failed: " + out);
      }
      return System.nanoTime() - start;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
