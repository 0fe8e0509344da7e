package io.promokit.steps.git;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.promokit.RegisteredStep;
import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.steps.kit.InvalidConfigException;
import io.promokit.steps.kit.ProcessResult;
import io.promokit.steps.kit.StepDefinition;
import io.promokit.steps.kit.TypedStep;
import io.promokit.steps.kit.WorkdirPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code git-clone}: a bare clone of the remote in a new home folder of the working directory, then one
 * linked worktree per checkout. Output {@code commits}: the HEAD of each checkout by alias or path.
 */
final class CloneStep implements TypedStep<CloneStep.Config> {

  /** The config; see the schema. */
  record Config(
      @JsonProperty("repoURL") String repoUrl,
      List<Checkout> checkout,
      Author author,
      @JsonProperty("insecureSkipTLSVerify") Boolean insecureSkipTlsVerify,
      Boolean recurseSubmodules,
      Boolean blobless) {}

  /** One checkout. */
  record Checkout(String path, String as, String branch, String commit, String tag, Boolean create,
      List<String> sparse) {

    String key() {
      return as != null && !as.isEmpty() ? as : path;
    }
  }

  /** An identity block. */
  record Author(String name, String email, String signingKey) {}

  private final GitSettings settings;
  private final SigningKeys signingKeys;

  private CloneStep(GitSettings settings, SigningKeys signingKeys) {
    this.settings = settings;
    this.signingKeys = signingKeys;
  }

  static RegisteredStep definition(GitSettings settings, SigningKeys signingKeys) {
    return StepDefinition.builder("git-clone")
        .schemaResource(GitSteps.class, "schemas/git-clone.json")
        .run(Config.class, new CloneStep(settings, signingKeys))
        .build();
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws Exception {
    List<Path> paths = checkConfig(context, config);
    Identity identity = identityFor(config);
    Path home = Files.createTempDirectory(context.workdir(), "repo-");
    Clone clone = Clone.inHome(home);
    List<Path> made = new ArrayList<>();
    boolean done = false;
    try (RemoteAccess access = RemoteAccess.open(context, settings, config.repoUrl());
        GpgHome gpg = identity.signs() ? GpgHome.open(context, settings, identity.signingKey(),
            config.author() != null ? "config.author.signingKey" : null) : null) {
      Git git = Git.forClone(context, settings, home).with(access);
      if (gpg != null) {
        git = git.with(gpg);
      }
      writeClonedConfig(git, clone, identity, gpg, config);
      cloneBare(git, clone, config);
      if (identity.signs() && config.author() != null) {
        signingKeys.remember(clone.bare(), identity.signingKey());
      }
      Map<String, Object> commits = new LinkedHashMap<>();
      for (int i = 0; i < config.checkout().size(); i++) {
        Checkout checkout = config.checkout().get(i);
        Path path = paths.get(i);
        made.add(path);
        addWorktree(context, git, clone, config, checkout, path, gpg != null);
        commits.put(checkout.key(), git.okQuiet("error resolving HEAD for worktree at " + checkout.path(), path,
            "rev-parse", "HEAD"));
      }
      done = true;
      return StepResult.succeeded(Map.of("commits", commits));
    } finally {
      if (!done) {
        // Leave nothing half-made: a retry starts from a clean working directory.
        made.forEach(PrivateFolder::deleteTree);
        PrivateFolder.deleteTree(home);
      }
    }
  }

  /** Rules the schema cannot state; the worktree paths, resolved in the working directory. */
  private static List<Path> checkConfig(StepContext context, Config config) {
    Set<String> aliases = new HashSet<>();
    List<Path> paths = new ArrayList<>();
    for (int i = 0; i < config.checkout().size(); i++) {
      Checkout checkout = config.checkout().get(i);
      if (checkout.as() != null && !checkout.as().isEmpty() && !aliases.add(checkout.as())) {
        throw new InvalidConfigException("duplicate checkout alias \"" + checkout.as() + "\" at checkout[" + i + "]");
      }
      if (checkout.sparse() != null) {
        SparsePatterns.check(checkout.sparse(), "config.checkout[" + i + "].sparse");
      }
      String field = "config.checkout[" + i + "].path";
      Path path = WorkdirPaths.resolve(context.workdir(), checkout.path(), WorkdirPaths.Access.WRITE, field);
      if (paths.contains(path)) {
        throw new InvalidConfigException(field + ": \"" + checkout.path() + "\" is also the path of an earlier checkout");
      }
      if (isNonEmpty(path)) {
        throw new StepException("error adding work tree " + checkout.path() + " to repo " + config.repoUrl()
            + ": working tree already exists at " + checkout.path());
      }
      paths.add(path);
    }
    return paths;
  }

  private static boolean isNonEmpty(Path path) {
    if (!Files.exists(path)) {
      return false;
    }
    if (!Files.isDirectory(path)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(path)) {
      return entries.findAny().isPresent();
    } catch (IOException e) {
      return true;
    }
  }

  /** The clone's author block wins over the host's identity, signing key included (as in Kargo). */
  private Identity identityFor(Config config) {
    Author author = config.author();
    if (author == null) {
      return settings.identity();
    }
    return new Identity(author.name(), author.email(),
        author.signingKey() == null || author.signingKey().isEmpty() ? null : author.signingKey());
  }

  /** The clone's own git config, in its home: identity, signing, TLS; never a credential. */
  private void writeClonedConfig(Git git, Clone clone, Identity identity, GpgHome gpg, Config config)
      throws InterruptedException {
    Path home = clone.home();
    String file = clone.gitconfig().toString();
    setConfig(git, home, file, "user.name", identity.name());
    setConfig(git, home, file, "user.email", identity.email());
    setConfig(git, home, file, "init.defaultBranch", "main");
    if (gpg != null) {
      setConfig(git, home, file, "user.signingKey", gpg.fingerprint());
      setConfig(git, home, file, "gpg.program", settings.gpgBinary());
      setConfig(git, home, file, "commit.gpgSign", "true");
      setConfig(git, home, file, "tag.gpgSign", "true");
      setConfig(git, home, file, Clone.SIGNING_SOURCE_KEY, config.author() != null ? "clone" : "host");
    }
    if (Boolean.TRUE.equals(config.insecureSkipTlsVerify())) {
      setConfig(git, home, file, "http.sslVerify", "false");
    }
  }

  private static void setConfig(Git git, Path dir, String file, String key, String value)
      throws InterruptedException {
    git.okQuiet("error configuring the clone", dir, "config", "--file", file, key, value);
  }

  private static void cloneBare(Git git, Clone clone, Config config) throws InterruptedException {
    List<String> args = new ArrayList<>(List.of("clone", "--bare", "--quiet"));
    if (Boolean.TRUE.equals(config.blobless())) {
      args.add("--filter=blob:none");
    }
    args.add("--");
    args.add(config.repoUrl());
    args.add(clone.bare().toString());
    git.ok("error cloning " + config.repoUrl(), clone.home(), args.toArray(String[]::new));
  }

  private void addWorktree(StepContext context, Git git, Clone clone, Config config, Checkout checkout, Path path,
      boolean signs) throws InterruptedException {
    String where = "error adding work tree " + checkout.path() + " to repo " + config.repoUrl();
    List<String> args = new ArrayList<>(List.of("worktree", "add", "--quiet"));
    boolean sparse = checkout.sparse() != null && !checkout.sparse().isEmpty();
    if (sparse) {
      args.add("--no-checkout");
    }
    if (nonEmpty(checkout.commit())) {
      args.addAll(List.of("--detach", path.toString(), checkout.commit() + "^{commit}"));
    } else if (nonEmpty(checkout.tag())) {
      args.addAll(List.of("--detach", path.toString(), "refs/tags/" + checkout.tag() + "^{commit}"));
    } else {
      String branch = nonEmpty(checkout.branch()) ? checkout.branch() : defaultBranch(git, clone, config);
      ensureBranch(context, git, clone, config, branch, Boolean.TRUE.equals(checkout.create()), signs);
      args.addAll(List.of(path.toString(), branch));
    }
    git.ok(where, clone.bare(), args.toArray(String[]::new));
    if (sparse) {
      // Patterns first, then the files: only the cone's files are written (and, blobless, fetched).
      ProcessResult set = git.runWithInput(path, String.join("\n", checkout.sparse()) + "\n",
          "sparse-checkout", "set", "--cone", "--stdin");
      if (!set.succeeded()) {
        throw Git.failure(where + ": error setting sparse checkout patterns " + checkout.sparse(), set);
      }
      git.ok(where + ": error checking out the sparse cone", path, "read-tree", "-mu", "HEAD");
    }
    if (Boolean.TRUE.equals(config.recurseSubmodules())) {
      git.ok("error updating submodules for worktree at " + checkout.path(), path,
          "submodule", "update", "--init", "--recursive");
    }
  }

  /** [ours] No branch, commit or tag: the remote's default branch (the branch its HEAD names). */
  private static String defaultBranch(Git git, Clone clone, Config config) throws InterruptedException {
    String head = git.okQuiet("error reading the default branch of " + config.repoUrl(), clone.bare(),
        "symbolic-ref", "--quiet", "--short", "HEAD");
    if (head.isBlank()) {
      throw new StepException("the remote " + config.repoUrl() + " names no default branch; give a branch");
    }
    return head.strip();
  }

  /**
   * Checks that the branch exists in the clone (a fresh mirror of the remote's branches), creating it as an
   * empty orphan branch pushed to the remote when asked. git 2.39 has no {@code worktree add --orphan}:
   * the branch's one empty commit is made with {@code commit-tree} on the empty tree, signed when the clone
   * signs, then pushed.
   */
  private void ensureBranch(StepContext context, Git git, Clone clone, Config config, String branch,
      boolean create, boolean signs) throws InterruptedException {
    if (git.read(clone.bare(), "rev-parse", "--verify", "--quiet", "refs/heads/" + branch + "^{commit}").succeeded()) {
      return;
    }
    if (!create) {
      throw new StepException("error ensuring existence of remote branch " + branch + ": remote branch \"" + branch
          + "\" of repo " + config.repoUrl() + " does not exist; set create=true if you'd like a non-existent "
          + "remote branch to be automatically created at checkout");
    }
    String where = "error creating remote branch " + branch + " of repo " + config.repoUrl();
    ProcessResult tree = git.runWithInput(clone.bare(), "", "mktree");
    if (!tree.succeeded()) {
      throw Git.failure(where, tree);
    }
    List<String> args = new ArrayList<>(List.of("commit-tree", "-m", "Initial commit"));
    if (signs) {
      args.add("-S");
    }
    args.add(tree.stdout().strip());
    String commit = git.ok(where, clone.bare(), args.toArray(String[]::new)).strip();
    git.ok(where, clone.bare(), "update-ref", "refs/heads/" + branch, commit, "");
    git.ok(where, clone.bare(), "push", "--quiet", "origin", "refs/heads/" + branch + ":refs/heads/" + branch);
    context.log().info("created branch " + branch + " of " + config.repoUrl() + " at " + commit);
  }

  private static boolean nonEmpty(String s) {
    return s != null && !s.isEmpty();
  }

}
