package io.promokit.testkit.gitops;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The state of a {@link GitProviderFake}: its repositories (real bare repositories), their labels and pull
 * requests. Pull requests read their source branch's head from the repository while open, so a push shows at
 * once; merges run real git ({@link FakeMerges}). Callers hold the fake's lock.
 */
final class FakeHosting {

  /** A hosted repository. */
  static final class Repo {
    final String name;
    final BareRepository git;
    final long id;
    final String uuid;
    final List<Pr> pulls = new ArrayList<>();
    final Map<String, Long> labels = new LinkedHashMap<>();

    Repo(String name, BareRepository git, long id) {
      this.name = name;
      this.git = git;
      this.id = id;
      this.uuid = new java.util.UUID(0x5eedL, id).toString();
    }

    /** The pull request of a number, if any. */
    Optional<Pr> pull(long number) {
      return pulls.stream().filter(p -> p.number == number).findFirst();
    }
  }

  /** A pull request, mutable under the fake's lock. */
  static final class Pr {
    final long number;
    final String head;
    final String base;
    final Instant createdAt;
    String title;
    String description;
    final List<String> labels = new ArrayList<>();
    FakePullRequest.State state = FakePullRequest.State.OPEN;
    boolean draft;
    boolean checksPending;
    String frozenHead;
    String mergeCommit;
    String squashCommit;
    String mergeMethod;
    Instant closedAt;
    /** Azure DevOps: completion asked for, done at the next read. */
    String pendingCompletion;

    Pr(long number, String head, String base, Instant createdAt) {
      this.number = number;
      this.head = head;
      this.base = base;
      this.createdAt = createdAt;
    }

    boolean open() {
      return state == FakePullRequest.State.OPEN;
    }

    boolean merged() {
      return state == FakePullRequest.State.MERGED;
    }
  }

  private final Path root;
  private final FakeMerges merges;
  private final Map<String, Repo> repos = new LinkedHashMap<>();
  private final Instant epoch = Instant.parse("2026-01-01T00:00:00Z");
  private long createdCount;

  FakeHosting(Path root, FakeMerges merges) {
    this.root = root;
    this.merges = merges;
  }

  /** Creates a repository stored at {@code storage} (relative to the root) under a name. */
  Repo create(String name, String storage) {
    String key = key(name);
    if (repos.containsKey(key)) {
      throw new IllegalArgumentException("repository " + name + " exists already");
    }
    Repo repo = new Repo(name, BareRepository.create(root.resolve(storage)), repos.size() + 1L);
    repos.put(key, repo);
    return repo;
  }

  /** A repository by name (case-insensitive, as the hosts and Kargo's lower-cased URLs treat them). */
  Optional<Repo> repo(String name) {
    return Optional.ofNullable(repos.get(key(name)));
  }

  /** Every repository. */
  List<Repo> repos() {
    return List.copyOf(repos.values());
  }

  /** Opens a pull request (the caller checked what its provider checks). */
  Pr open(Repo repo, String head, String base, String title, String description, List<String> labels, boolean draft) {
    long number = repo.pulls.stream().mapToLong(p -> p.number).max().orElse(0) + 1;
    // Creation times one second apart, in order: lists sort the same way every run.
    Pr pr = new Pr(number, head, base, epoch.plusSeconds(++createdCount));
    pr.title = title;
    pr.description = description == null ? "" : description;
    pr.labels.addAll(labels);
    pr.draft = draft;
    repo.pulls.add(pr);
    return pr;
  }

  /** The source branch's commit the pull request shows (empty when the branch is gone). */
  static String headSha(Repo repo, Pr pr) {
    return pr.frozenHead != null ? pr.frozenHead : repo.git.head(pr.head).orElse("");
  }

  /** The target branch's commit. */
  static String baseSha(Repo repo, Pr pr) {
    return repo.git.head(pr.base).orElse("");
  }

  /** Whether an open pull request conflicts with its target. */
  static boolean conflicts(Repo repo, Pr pr) {
    String head = headSha(repo, pr);
    String base = baseSha(repo, pr);
    return !head.isEmpty() && !base.isEmpty() && FakeMerges.conflicts(repo.git, base, head);
  }

  /** Merges an open pull request with real git and records it. */
  void merge(Repo repo, Pr pr, FakeMerges.Style style, String method, String message) {
    String head = headSha(repo, pr);
    FakeMerges.Outcome outcome = merges.merge(repo.git, pr.base, head, style, message);
    pr.frozenHead = head;
    pr.mergeCommit = outcome.mergeCommit();
    pr.squashCommit = outcome.squashCommit();
    pr.mergeMethod = method;
    pr.state = FakePullRequest.State.MERGED;
    pr.closedAt = epoch.plusSeconds(++createdCount);
  }

  /** Closes an open pull request without a merge. */
  void close(Repo repo, Pr pr) {
    pr.frozenHead = headSha(repo, pr);
    pr.state = FakePullRequest.State.CLOSED;
    pr.closedAt = epoch.plusSeconds(++createdCount);
  }

  /** A snapshot for tests. */
  static FakePullRequest snapshot(Repo repo, Pr pr) {
    return new FakePullRequest(pr.number, pr.title, pr.description, pr.head, pr.base, pr.labels, pr.state, pr.draft,
        headSha(repo, pr), pr.mergeCommit, pr.mergeMethod, pr.createdAt);
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
