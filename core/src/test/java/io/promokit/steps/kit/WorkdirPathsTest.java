package io.promokit.steps.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.steps.kit.WorkdirPaths.Access;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkdirPathsTest {

  @TempDir Path temp;
  private Path workdir;
  private Path outside;

  @BeforeEach
  void setUp() throws IOException {
    workdir = Files.createDirectories(temp.resolve("work")).toRealPath();
    outside = Files.createDirectories(temp.resolve("outside")).toRealPath();
    Files.writeString(outside.resolve("secret.txt"), "s3cret");
  }

  @Test
  void relativePathResolvesInsideTheWorkdirEvenWhenItDoesNotExistYet() {
    assertThat(WorkdirPaths.resolve(workdir, "out/new/file.yaml")).isEqualTo(workdir.resolve("out/new/file.yaml"));
    assertThat(WorkdirPaths.resolve(workdir, "./a//b/./c")).isEqualTo(workdir.resolve("a/b/c"));
  }

  @Test
  void dotDotThatStaysInsideIsFine() {
    assertThat(WorkdirPaths.resolve(workdir, "a/b/../../c")).isEqualTo(workdir.resolve("c"));
    assertThat(WorkdirPaths.resolve(workdir, ".")).isEqualTo(workdir);
  }

  @Test
  void absolutePathIsRejected() {
    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, "/etc/passwd"))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("path \"/etc/passwd\" is absolute; paths are relative to the working directory");
  }

  @Test
  void dotDotClimbingPastTheRootIsRejected() {
    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, "../outside/secret.txt", Access.READ, "config.path"))
        .isInstanceOf(StepException.class)
        .hasMessage("config.path: \"../outside/secret.txt\" climbs out of the working directory");
    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, "a/../../x"))
        .hasMessage("path \"a/../../x\" climbs out of the working directory");
  }

  @Test
  void symlinkToAnAbsolutePathOutsideIsRejected() throws IOException {
    Files.createSymbolicLink(workdir.resolve("link"), outside);

    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, "link/secret.txt", Access.READ, "config.inPath"))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("config.inPath: \"link/secret.txt\" leads out of the working directory through the symlink "
            + "\"link\" (to \"" + outside + "\")");
  }

  @Test
  void relativeSymlinkClimbingOutIsRejected() throws IOException {
    Files.createDirectories(workdir.resolve("sub"));
    Files.createSymbolicLink(workdir.resolve("sub/up"), Path.of("../../outside"));

    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, "sub/up/secret.txt"))
        .hasMessage("path \"sub/up/secret.txt\" leads out of the working directory through the symlink "
            + "\"sub/up\" (to \"../../outside\")");
  }

  @Test
  void chainOfSymlinksIsFollowedLinkByLink() throws IOException {
    Files.createSymbolicLink(workdir.resolve("first"), Path.of("second"));
    Files.createSymbolicLink(workdir.resolve("second"), outside);

    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, "first/secret.txt"))
        .hasMessage("path \"first/secret.txt\" leads out of the working directory through the symlink "
            + "\"second\" (to \"" + outside + "\")");
  }

  @Test
  void danglingSymlinkPointingOutIsRejectedForWrites() throws IOException {
    Files.createSymbolicLink(workdir.resolve("report.txt"), outside.resolve("created-by-step.txt"));

    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, "report.txt", Access.WRITE, "config.path"))
        .hasMessageStartingWith("config.path: \"report.txt\" leads out of the working directory through the symlink");
  }

  @Test
  void dotDotAfterASymlinkIsReadFromTheLinkTarget() throws IOException {
    Files.createSymbolicLink(workdir.resolve("here"), Path.of("."));

    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, "here/../outside/secret.txt"))
        .hasMessage("path \"here/../outside/secret.txt\" climbs out of the working directory");
  }

  @Test
  void symlinkLoopIsReported() throws IOException {
    Files.createSymbolicLink(workdir.resolve("a"), Path.of("b"));
    Files.createSymbolicLink(workdir.resolve("b"), Path.of("a"));

    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, "a/x"))
        .hasMessage("path \"a/x\" passes through more than 40 symlinks");
  }

  @Test
  void symlinkStayingInsideIsFollowedToItsTarget() throws IOException {
    Files.createDirectories(workdir.resolve("releases/v2"));
    Files.createSymbolicLink(workdir.resolve("current"), Path.of("releases/v2"));
    Files.createSymbolicLink(workdir.resolve("absolute-current"), workdir.resolve("releases/v2"));

    assertThat(WorkdirPaths.resolve(workdir, "current/values.yaml")).isEqualTo(workdir.resolve("releases/v2/values.yaml"));
    assertThat(WorkdirPaths.resolve(workdir, "absolute-current/values.yaml"))
        .isEqualTo(workdir.resolve("releases/v2/values.yaml"));
  }

  @Test
  void workdirGivenThroughASymlinkStillWorks() throws IOException {
    Path alias = Files.createSymbolicLink(temp.resolve("alias"), workdir);

    assertThat(WorkdirPaths.resolve(alias, "a.txt")).isEqualTo(workdir.resolve("a.txt"));
  }

  @Test
  void writesInsideGitAreRejected() {
    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, ".git/config", Access.WRITE, "config.path"))
        .hasMessage("config.path: \".git/config\" is inside a .git directory, which steps may not change");
    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, "out/.git/hooks/pre-commit", Access.WRITE, "config.path"))
        .hasMessage("config.path: \"out/.git/hooks/pre-commit\" is inside a .git directory, which steps may not change");
    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, "out/.git", Access.DELETE, "config.path"))
        .hasMessage("config.path: \"out/.git\" is inside a .git directory, which steps may not change");
  }

  @Test
  void readsInsideGitAreAllowed() {
    assertThat(WorkdirPaths.resolve(workdir, "out/.git/HEAD")).isEqualTo(workdir.resolve("out/.git/HEAD"));
  }

  @Test
  void writeThroughASymlinkIntoGitIsRejected() throws IOException {
    Files.createDirectories(workdir.resolve("repo/.git"));
    Files.createSymbolicLink(workdir.resolve("hooks"), Path.of("repo/.git"));

    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, "hooks/post-checkout", Access.WRITE, "config.path"))
        .hasMessage("config.path: \"hooks/post-checkout\" is inside a .git directory, which steps may not change");
  }

  @Test
  void theWorkdirItselfCannotBeWrittenOrDeleted() {
    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, ".", Access.DELETE, "config.path"))
        .hasMessage("config.path: \".\" is the working directory itself; name a file or directory inside it");
    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, "a/..", Access.WRITE, "config.path"))
        .hasMessage("config.path: \"a/..\" is the working directory itself; name a file or directory inside it");
  }

  @Test
  void deletingASymlinkTargetsTheLinkNotWhatItPointsTo() throws IOException {
    Path link = Files.createSymbolicLink(workdir.resolve("escape"), outside);

    assertThat(WorkdirPaths.resolve(workdir, "escape", Access.DELETE, "config.path")).isEqualTo(link);
    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, "escape/secret.txt", Access.DELETE, "config.path"))
        .hasMessageStartingWith("config.path: \"escape/secret.txt\" leads out of the working directory");
  }

  @Test
  void emptyAndMalformedPathsAreRejected() {
    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, "", Access.READ, "config.path"))
        .isInstanceOf(StepException.class)
        .hasMessage("config.path: must not be empty");
    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, null))
        .hasMessage("path must not be empty");
    assertThatThrownBy(() -> WorkdirPaths.resolve(workdir, "a\u0000b", Access.READ, "config.path"))
        .hasMessage("config.path: \"a\\u0000b\" is not a valid path (Nul character not allowed)");
  }

  @Test
  void missingWorkdirIsATerminalError() {
    Path missing = temp.resolve("gone");

    assertThatThrownBy(() -> WorkdirPaths.resolve(missing, "a"))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessageStartingWith("working directory " + missing + " is not usable: ");
  }
}
