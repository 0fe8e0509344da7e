package io.promokit.testkit.gitops;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One commit to write into a {@link BareRepository}: the branch, the message and the file changes
 * (written over the branch's current tree). A branch that does not exist yet starts from
 * {@link #from(String)}, or with no parent.
 *
 * <pre>{@code
 * repo.commit(CommitSpec.on("main").message("add app").write("app/values.yaml", "image: v1\n"));
 * }</pre>
 */
public final class CommitSpec {

  /** A file change of a commit. */
  sealed interface Change permits Write, Delete, Gitlink {}

  record Write(String path, byte[] content, boolean executable) implements Change {}

  record Delete(String path) implements Change {}

  record Gitlink(String path, String commit) implements Change {}

  private final String branch;
  private String message = "fixture commit";
  private String authorName = "Fixture";
  private String authorEmail = "fixture@promokit.test";
  private Instant when;
  private String from;
  private final List<Change> changes = new ArrayList<>();

  private CommitSpec(String branch) {
    this.branch = requireText(branch, "branch");
  }

  /** A commit on {@code branch} (a short name such as {@code main}). */
  public static CommitSpec on(String branch) {
    return new CommitSpec(branch);
  }

  /** The commit message (default {@code fixture commit}). */
  public CommitSpec message(String message) {
    this.message = requireText(message, "message");
    return this;
  }

  /** Writes a text file (UTF-8), creating or replacing it. */
  public CommitSpec write(String path, String content) {
    return write(path, Objects.requireNonNull(content, "content").getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a file, creating or replacing it. */
  public CommitSpec write(String path, byte[] content) {
    changes.add(new Write(requireText(path, "path"), Objects.requireNonNull(content, "content").clone(), false));
    return this;
  }

  /** Writes an executable file (mode 100755). */
  public CommitSpec writeExecutable(String path, String content) {
    changes.add(new Write(requireText(path, "path"), content.getBytes(StandardCharsets.UTF_8), true));
    return this;
  }

  /** Removes a file. */
  public CommitSpec delete(String path) {
    changes.add(new Delete(requireText(path, "path")));
    return this;
  }

  /**
   * Records a submodule at {@code path} pointing at {@code commit} (a gitlink); add the matching
   * {@code .gitmodules} entry with {@link #write(String, String)}.
   */
  public CommitSpec submodule(String path, String commit) {
    changes.add(new Gitlink(requireText(path, "path"), requireText(commit, "commit")));
    return this;
  }

  /** The author and committer (default {@code Fixture <fixture@promokit.test>}). */
  public CommitSpec author(String name, String email) {
    this.authorName = requireText(name, "name");
    this.authorEmail = requireText(email, "email");
    return this;
  }

  /** The author and commit time (default: now). */
  public CommitSpec at(Instant when) {
    this.when = Objects.requireNonNull(when, "when");
    return this;
  }

  /** Where a branch that does not exist yet starts (a branch, tag or commit); ignored when it exists. */
  public CommitSpec from(String ref) {
    this.from = requireText(ref, "ref");
    return this;
  }

  String branch() {
    return branch;
  }

  String message() {
    return message;
  }

  String authorName() {
    return authorName;
  }

  String authorEmail() {
    return authorEmail;
  }

  Instant when() {
    return when == null ? Instant.now() : when;
  }

  String startPoint() {
    return from;
  }

  List<Change> changes() {
    return List.copyOf(changes);
  }

  private static String requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank, but was " + (value == null ? "null" : "\"" + value + "\""));
    }
    return value;
  }
}
