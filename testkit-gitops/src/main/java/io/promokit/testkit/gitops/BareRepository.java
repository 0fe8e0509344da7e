package io.promokit.testkit.gitops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A bare git repository on disk, filled by tests: commits with files, branches, tags, a default branch,
 * and reads of what a push left there. Every change runs the real {@code git} binary (commits through
 * {@code git fast-import}, so thousands of files cost one process).
 *
 * <pre>{@code
 * BareRepository repo = BareRepository.create(tempDir.resolve("app.git"));
 * String first = repo.commit("main", "initial", Map.of("README.md", "hello\n"));
 * repo.createBranch("stage/dev", "main");
 * }</pre>
 *
 * <p>Not thread-safe for writers; reads may run while a server serves the repository.
 */
public final class BareRepository {

  private final Path path;

  private BareRepository(Path path) {
    this.path = path;
  }

  /** Creates an empty bare repository whose default branch is {@code main}. */
  public static BareRepository create(Path dir) {
    return create(dir, "main");
  }

  /** Creates an empty bare repository with the given default branch ({@code HEAD}). */
  public static BareRepository create(Path dir, String defaultBranch) {
    Objects.requireNonNull(dir, "dir");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    TestGit.git(dir, "init", "--quiet", "--bare", "--initial-branch=" + defaultBranch);
    // Pushes from the steps under test must be able to update any ref a test sets up.
    TestGit.git(dir, "config", "receive.denyNonFastForwards", "false");
    return new BareRepository(dir.toAbsolutePath());
  }

  /** Opens an existing bare repository (one a server received, for instance). */
  public static BareRepository open(Path dir) {
    if (!Files.isRegularFile(dir.resolve("HEAD"))) {
      throw new IllegalArgumentException(dir + " is not a bare git repository (no HEAD file)");
    }
    return new BareRepository(dir.toAbsolutePath());
  }

  /** Where the repository is. */
  public Path path() {
    return path;
  }

  /** The folder's name ({@code app.git}), which is the path servers serve it under. */
  public String name() {
    return path.getFileName().toString();
  }

  /** Commits text files (path to content) on {@code branch} and returns the new commit's SHA. */
  public String commit(String branch, String message, Map<String, String> files) {
    CommitSpec spec = CommitSpec.on(branch).message(message);
    files.forEach(spec::write);
    return commit(spec).get(0);
  }

  /** Writes the commits in order, in one {@code git fast-import} run; returns their SHAs in order. */
  public List<String> commit(CommitSpec... specs) {
    return commit(Arrays.asList(specs));
  }

  /** Writes the commits in order, in one {@code git fast-import} run; returns their SHAs in order. */
  public List<String> commit(List<CommitSpec> specs) {
    if (specs.isEmpty()) {
      return List.of();
    }
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    Set<String> started = new HashSet<>();
    int mark = 0;
    for (CommitSpec spec : specs) {
      mark++;
      long epoch = spec.when().getEpochSecond();
      String ident = spec.authorName() + " <" + spec.authorEmail() + "> " + epoch + " +0000";
      text(stream, "commit refs/heads/" + spec.branch() + "\nmark :" + mark + "\n");
      text(stream, "author " + ident + "\ncommitter " + ident + "\n");
      data(stream, spec.message().getBytes(StandardCharsets.UTF_8));
      if (started.add(spec.branch())) {
        Optional<String> parent = resolve("refs/heads/" + spec.branch());
        if (parent.isEmpty() && spec.startPoint() != null) {
          parent = Optional.of(resolve(spec.startPoint()).orElseThrow(() -> new IllegalArgumentException(
              "start point " + spec.startPoint() + " of branch " + spec.branch() + " does not exist in " + path)));
        }
        parent.ifPresent(sha -> text(stream, "from " + sha + "\n"));
      }
      for (CommitSpec.Change change : spec.changes()) {
        if (change instanceof CommitSpec.Write w) {
          text(stream, "M " + (w.executable() ? "100755" : "100644") + " inline " + w.path() + "\n");
          data(stream, w.content());
        } else if (change instanceof CommitSpec.Delete d) {
          text(stream, "D " + d.path() + "\n");
        } else if (change instanceof CommitSpec.Gitlink g) {
          text(stream, "M 160000 " + g.commit() + " " + g.path() + "\n");
        }
      }
      text(stream, "\n");
    }
    text(stream, "done\n");
    Path marks = null;
    try {
      marks = Files.createTempFile(path, "marks-", ".txt");
      TestGit.gitWithInput(path, stream.toByteArray(), "fast-import", "--quiet", "--done",
          "--export-marks=" + marks);
      Map<Integer, String> byMark = new HashMap<>();
      for (String line : Files.readAllLines(marks)) {
        String[] parts = line.split(" ");
        byMark.put(Integer.parseInt(parts[0].substring(1)), parts[1]);
      }
      List<String> shas = new ArrayList<>();
      for (int i = 1; i <= mark; i++) {
        shas.add(byMark.get(i));
      }
      return shas;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (marks != null) {
        try {
          Files.deleteIfExists(marks);
        } catch (IOException ignored) {
          // a leftover marks file in a test folder does no harm
        }
      }
    }
  }

  /** Creates branch {@code name} at {@code startPoint} (a branch, tag or SHA). */
  public void createBranch(String name, String startPoint) {
    TestGit.git(path, "branch", name, startPoint);
  }

  /** Deletes a branch. */
  public void deleteBranch(String name) {
    TestGit.git(path, "branch", "-D", name);
  }

  /** Creates a lightweight tag. */
  public void tag(String name, String ref) {
    TestGit.git(path, "tag", name, ref);
  }

  /** Creates an annotated tag. */
  public void annotatedTag(String name, String ref, String message) {
    TestGit.git(path, "tag", "-a", "-m", message, name, ref);
  }

  /** Points {@code HEAD} (the branch a clone checks out by default) at another branch. */
  public void setDefaultBranch(String branch) {
    TestGit.git(path, "symbolic-ref", "HEAD", "refs/heads/" + branch);
  }

  /** The SHA a branch points at, or empty when it does not exist. */
  public Optional<String> head(String branch) {
    return resolve("refs/heads/" + branch);
  }

  /** The commit a ref (branch, tag, SHA, {@code main~1}) resolves to, or empty. */
  public Optional<String> resolve(String ref) {
    TestGit.Result r = TestGit.run(path, Map.of(), "rev-parse", "--verify", "--quiet", ref + "^{commit}");
    return r.exitCode() == 0 ? Optional.of(r.stdout().strip()) : Optional.empty();
  }

  /** The content of a file at a ref, or empty when there is no such file. */
  public Optional<String> readFile(String ref, String file) {
    TestGit.Result r = TestGit.run(path, Map.of(), "cat-file", "blob", ref + ":" + file);
    return r.exitCode() == 0 ? Optional.of(r.stdout()) : Optional.empty();
  }

  /** Every file path at a ref, sorted. */
  public List<String> files(String ref) {
    String out = TestGit.git(path, "ls-tree", "-r", "--name-only", "-z", ref);
    List<String> files = new ArrayList<>();
    for (String f : out.split("\0")) {
      if (!f.isEmpty()) {
        files.add(f);
      }
    }
    files.sort(null);
    return files;
  }

  /** The full messages of the commits reachable from a ref, newest first (first parents only). */
  public List<String> messages(String ref) {
    String out = TestGit.git(path, "log", "--first-parent", "--format=%B%x00", ref);
    List<String> messages = new ArrayList<>();
    for (String m : out.split("\0")) {
      String strippedStart = m.startsWith("\n") ? m.substring(1) : m;
      if (!strippedStart.isBlank()) {
        messages.add(strippedStart.strip());
      }
    }
    return messages;
  }

  /** The parents of a commit, in order. */
  public List<String> parents(String commit) {
    String out = TestGit.git(path, "rev-list", "--parents", "-n", "1", commit).strip();
    String[] parts = out.split(" ");
    return List.of(Arrays.copyOfRange(parts, 1, parts.length));
  }

  /** The names of all branches, sorted. */
  public List<String> branches() {
    return lines(TestGit.git(path, "for-each-ref", "--format=%(refname:short)", "refs/heads"));
  }

  /** The names of all tags, sorted. */
  public List<String> tags() {
    return lines(TestGit.git(path, "for-each-ref", "--format=%(refname:short)", "refs/tags"));
  }

  /** Runs any other git command in the repository and returns its stdout (fails on a non-zero exit). */
  public String git(String... args) {
    return TestGit.git(path, args);
  }

  private static List<String> lines(String out) {
    List<String> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        lines.add(line.strip());
      }
    }
    lines.sort(null);
    return lines;
  }

  private static void text(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void data(ByteArrayOutputStream out, byte[] bytes) {
    text(out, "data " + bytes.length + "\n");
    out.writeBytes(bytes);
    text(out, "\n");
  }

  @Override
  public String toString() {
    return "BareRepository[" + path + "]";
  }
}
