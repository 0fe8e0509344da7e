package io.promokit.steps;

import static io.promokit.steps.InvalidConfigAssertions.assertInvalidConfig;
import static io.promokit.steps.InvalidConfigAssertions.assertInvalidConfigStartingWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeleteStepTest {

  @TempDir Path temp;
  private Path workdir;

  @BeforeEach
  void setUp() throws IOException {
    workdir = Files.createDirectories(temp.resolve("work"));
    write("out/app.yaml", "a");
    write("out/a.tmp", "t");
    write("out/sub/b.tmp", "t");
    write("out/sub/deep/c.tmp", "t");
    write("out/build/log.txt", "l");
    write("out/.git/x.tmp", "git");
    write("keep.txt", "k");
  }

  @Test
  void deletesAFileAndADirectoryRecursively() throws Exception {
    assertThat(delete(Map.of("path", "out/app.yaml")).status()).isEqualTo(StepStatus.SUCCEEDED);
    delete(Map.of("path", "./out/sub"));

    assertThat(files()).containsExactly(".git/x.tmp", "a.tmp", "build/log.txt");
  }

  @Test
  void deletesSeveralPaths() throws Exception {
    delete(Map.of("paths", List.of("out/app.yaml", "out/build", "does/not/exist")));

    assertThat(files()).containsExactly(".git/x.tmp", "a.tmp", "sub/b.tmp", "sub/deep/c.tmp");
  }

  // Kargo: Test_fileDeleter_run "fails for non-existent path when strict is true" (Errored with an ordinary,
  // retryable error) and "succeeds for non-existent path when strict is false".
  @Test
  void missingPathIsFineUnlessStrict() throws Exception {
    assertThat(delete(Map.of("path", "nope")).status()).isEqualTo(StepStatus.SUCCEEDED);

    assertThatThrownBy(() -> delete(Map.of("path", "nope", "strict", true)))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessage("config.path: \"nope\" does not exist");
  }

  @Test
  void globsWithDoubleStarMatchAtAnyDepthButNeverInsideGit() throws Exception {
    delete(Map.of("paths", List.of("./out/**/*.tmp"), "pathsAreGlobs", true));

    assertThat(files()).containsExactly(".git/x.tmp", "app.yaml", "build/log.txt");
  }

  @Test
  void singleStarStaysInOneDirectory() throws Exception {
    delete(Map.of("path", "out/*.tmp", "pathsAreGlobs", true));

    assertThat(files()).containsExactly(".git/x.tmp", "app.yaml", "build/log.txt", "sub/b.tmp", "sub/deep/c.tmp");
  }

  @Test
  void trailingSlashMatchesDirectoriesOnly() throws Exception {
    write("out/buildfile", "f");

    delete(Map.of("paths", List.of("out/build*/"), "pathsAreGlobs", true));

    assertThat(files()).contains("buildfile").doesNotContain("build/log.txt");
  }

  // Kargo: Test_fileDeleter_run "glob paths mixed match and no-match errors on the empty one when strict is true".
  @Test
  void strictGlobThatMatchesNothingIsAnErrorAndDeletesNothing() throws Exception {
    assertThatThrownBy(() -> delete(Map.of("paths", List.of("out/*.yaml", "out/*.bak"), "pathsAreGlobs", true,
        "strict", true)))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isFalse())
        .hasMessage("config.paths[1]: pattern \"out/*.bak\" matches nothing");
    assertThat(workdir.resolve("out/app.yaml")).exists();
  }

  // Kargo: Test_fileDeleter_run "invalid glob pattern is a terminal error" (doublestar's ErrBadPattern).
  @Test
  void anInvalidGlobIsATerminalErrorNotALiteralName() throws Exception {
    write("[", "a file named like the pattern");

    assertThatThrownBy(() -> delete(Map.of("path", "[", "pathsAreGlobs", true)))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("config.path: invalid glob pattern \"[\": \"[\" at character 1 is not closed by \"]\"");
    assertThatThrownBy(() -> delete(Map.of("paths", List.of("out/*.tmp", "out/{a,b"), "pathsAreGlobs", true)))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("config.paths[1]: invalid glob pattern \"out/{a,b\": \"{\" is not closed by \"}\"");
    assertThat(workdir.resolve("[")).exists();
    assertThat(workdir.resolve("out/a.tmp")).exists();
    // Without pathsAreGlobs the same text is a literal name, as in Kargo.
    delete(Map.of("path", "["));
    assertThat(workdir.resolve("[")).doesNotExist();
  }

  // Kargo uses doublestar, whose {a,b} alternatives a template may rely on.
  @Test
  void braceAlternativesMatchEitherName() throws Exception {
    write("out/build/a.log", "l");

    delete(Map.of("path", "out/**/*.{tmp,log}", "pathsAreGlobs", true));

    assertThat(files()).containsExactly(".git/x.tmp", "app.yaml", "build/log.txt");
  }

  @Test
  void symlinkIsRemovedItselfNotItsTarget() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("precious"), "p");
    Files.createSymbolicLink(workdir.resolve("out/link"), outside);

    delete(Map.of("path", "out/link"));

    assertThat(Files.exists(workdir.resolve("out/link"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(outside.resolve("precious")).exists();
  }

  @Test
  void deletingADirectoryWithALinkInsideDoesNotFollowIt() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("precious"), "p");
    Files.createSymbolicLink(workdir.resolve("out/sub/link"), outside);

    delete(Map.of("path", "out"));

    assertThat(workdir.resolve("out")).doesNotExist();
    assertThat(outside.resolve("precious")).exists();
  }

  @Test
  void gitAndTheWorkdirItselfCannotBeDeleted() throws Exception {
    assertInvalidConfig(() -> delete(Map.of("path", "out/.git")),
        "config.path: \"out/.git\" is inside a .git directory, which steps may not change");
    assertInvalidConfig(() -> delete(Map.of("path", ".")),
        "config.path: \".\" is the working directory itself; name a file or directory inside it");
  }

  @Test
  void pathAndPathsRulesAreEnforced() throws Exception {
    assertThat(delete(Map.of()).message()).isEqualTo("invalid config: config.path: is required (or give paths)");
    assertThat(delete(Map.of("path", "a", "paths", List.of("b"))).message())
        .isEqualTo("invalid config: config: give either path or paths, not both");
    assertThat(delete(Map.of("paths", List.of())).message())
        .isEqualTo("invalid config: config.paths: must have at least 1 item, but had 0");
    assertThat(delete(Map.of("paths", List.of("a", ""))).message())
        .isEqualTo("invalid config: config.paths[1]: must not be empty");
    assertThat(delete(Map.of("path", "a", "strict", "true")).message())
        .isEqualTo("invalid config: config.strict: must be a boolean, but was a string");
  }

  @Test
  void globThatClimbsOutIsRejected() throws Exception {
    assertThat(delete(Map.of("path", "out/../../*", "pathsAreGlobs", true)).message())
        .isEqualTo("invalid config: config.path: \"..\" is not allowed in a glob pattern, but was \"out/../../*\"");
    assertInvalidConfig(() -> delete(Map.of("path", "/tmp/*", "pathsAreGlobs", true)),
        "config.path: \"/tmp/*\" is absolute; paths are relative to the working directory");
  }

  @Test
  void globPrefixThroughASymlinkOutIsRejected() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("precious.tmp"), "p");
    Files.createSymbolicLink(workdir.resolve("escape"), outside);

    assertInvalidConfigStartingWith(() -> delete(Map.of("path", "escape/*.tmp", "pathsAreGlobs", true)),
        "config.path: \"escape\" leads out of the working directory through the symlink");
    assertThat(outside.resolve("precious.tmp")).exists();
  }

  private StepResult delete(Map<String, Object> config) throws Exception {
    return TestStepContext.of(workdir, "delete", config).run();
  }

  private void write(String path, String text) throws IOException {
    Path file = workdir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private List<String> files() throws IOException {
    Path base = workdir.resolve("out");
    if (!Files.exists(base)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(base)) {
      return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .map(p -> base.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new))
          .stream().toList();
    }
  }
}
