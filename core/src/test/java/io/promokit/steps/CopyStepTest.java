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
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyStepTest {

  @TempDir Path temp;
  private Path workdir;

  @BeforeEach
  void setUp() throws IOException {
    workdir = Files.createDirectories(temp.resolve("work"));
    write("src/base/deployment.yaml", "kind: Deployment\n");
    write("src/base/service.yaml", "kind: Service\n");
    write("src/stages/test/kustomization.yaml", "resources: [../../base]\n");
    write("src/notes.tmp", "scratch\n");
    write("src/.git/HEAD", "ref: refs/heads/main\n");
    write("src/testdata/fixture.yaml", "x: 1\n");
  }

  @Test
  void copiesADirectoryRecursivelyWithoutGit() throws Exception {
    StepResult result = copy(Map.of("inPath", "src", "outPath", "out"));

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(files("out")).containsExactly("base/deployment.yaml", "base/service.yaml", "notes.tmp",
        "stages/test/kustomization.yaml", "testdata/fixture.yaml");
    assertThat(workdir.resolve("out/base/deployment.yaml")).hasContent("kind: Deployment");
  }

  @Test
  void mergesIntoAnExistingDirectoryReplacingFiles() throws Exception {
    write("out/base/deployment.yaml", "old\n");
    write("out/README.md", "keep me\n");

    copy(Map.of("inPath", "./src/base", "outPath", "./out/base"));

    assertThat(workdir.resolve("out/base/deployment.yaml")).hasContent("kind: Deployment");
    assertThat(workdir.resolve("out/README.md")).hasContent("keep me");
  }

  @Test
  void copiesASingleFileToTheGivenPath() throws Exception {
    copy(Map.of("inPath", "src/stages/test/kustomization.yaml", "outPath", "overlay/kustomization.yaml"));

    assertThat(workdir.resolve("overlay/kustomization.yaml")).hasContent("resources: [../../base]");
  }

  @Test
  void keepsTheFileMode() throws Exception {
    Files.setPosixFilePermissions(workdir.resolve("src/notes.tmp"), PosixFilePermissions.fromString("rw-r-----"));

    copy(Map.of("inPath", "src/notes.tmp", "outPath", "notes.tmp"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workdir.resolve("notes.tmp"))))
        .isEqualTo("rw-r-----");
  }

  @Test
  void ignorePatternsInGitignoreSyntaxAsAMultiLineString() throws Exception {
    copy(Map.of("inPath", "src", "outPath", "out", "ignore", """
        # test fixtures and scratch files
        testdata/
        *.tmp
        /stages/**/kustomization.yaml
        """));

    assertThat(files("out")).containsExactly("base/deployment.yaml", "base/service.yaml");
  }

  @Test
  void ignorePatternsAsAListWithNegation() throws Exception {
    copy(Map.of("inPath", "src", "outPath", "out", "ignore", List.of("*.yaml", "!service.yaml", "testdata")));

    assertThat(files("out")).containsExactly("base/service.yaml", "notes.tmp");
  }

  @Test
  void symlinksInTheSourceAreSkipped() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "s3cret");
    Files.createSymbolicLink(workdir.resolve("src/base/leak"), outside.resolve("secret"));
    Files.createSymbolicLink(workdir.resolve("src/base/inner"), Path.of("service.yaml"));

    TestStepContext context = TestStepContext.of(workdir, "copy", Map.of("inPath", "src/base", "outPath", "out"));
    context.run();

    assertThat(files("out")).containsExactly("deployment.yaml", "service.yaml");
    assertThat(context.logLines()).contains("INFO skipped symlink leak", "INFO skipped symlink inner");
  }

  @Test
  void symlinkInTheDestinationCannotRedirectTheCopyOut() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.createDirectories(workdir.resolve("out"));
    Files.createSymbolicLink(workdir.resolve("out/base"), outside);

    assertInvalidConfigStartingWith(() -> copy(Map.of("inPath", "src", "outPath", "out")),
        "config.outPath: \"out/base\" leads out of the working directory through the symlink "
            + "\"out/base\"");
    try (Stream<Path> leaked = Files.list(outside)) {
      assertThat(leaked).isEmpty();
    }
  }

  @Test
  void missingSourceIsAnError() {
    assertThatThrownBy(() -> copy(Map.of("inPath", "nope", "outPath", "out")))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("config.inPath: \"nope\" does not exist");
  }

  @Test
  void directoryCannotBeCopiedIntoItself() {
    assertThatThrownBy(() -> copy(Map.of("inPath", "src", "outPath", "src/backup")))
        .isInstanceOf(StepException.class)
        .hasMessage("config.outPath: \"src/backup\" is inside config.inPath \"src\"; a directory cannot be copied "
            + "into itself");
  }

  @Test
  void fileOntoDirectoryAndDirectoryOntoFileAreErrors() throws Exception {
    write("out/file.txt", "x");

    assertThatThrownBy(() -> copy(Map.of("inPath", "src/notes.tmp", "outPath", "out")))
        .isInstanceOf(StepException.class)
        .hasMessage("config.outPath: \"out\" is a directory; give the path of the file to create");
    assertThatThrownBy(() -> copy(Map.of("inPath", "src/base", "outPath", "out/file.txt")))
        .isInstanceOf(StepException.class)
        .hasMessage("config.outPath: \"out/file.txt\" is a file, but config.inPath is a directory");
  }

  @Test
  void badConfigIsNamed() throws Exception {
    assertThat(copy(Map.of("inPath", "src")).message()).isEqualTo("invalid config: config.outPath: is required");
    assertThat(copy(Map.of("inPath", "src", "outPath", "out", "ignore", 3)).message())
        .isEqualTo("invalid config: config.ignore: must be a string or a list, but was an integer");
    assertThat(copy(Map.of("inPath", "src", "outPath", "out", "ignore", List.of(3))).message())
        .isEqualTo("invalid config: config.ignore[0]: must be a string, but was an integer");
    // Kargo: Test_fileCopier_convert "ignore is empty string" (minLength 1).
    assertThat(copy(Map.of("inPath", "src", "outPath", "out", "ignore", "")).message())
        .isEqualTo("invalid config: config.ignore: must not be empty");
    assertThat(copy(Map.of("inPath", "src", "outPath", "out", "ignore", List.of())).message())
        .isEqualTo("invalid config: config.ignore: must have at least 1 item, but had 0");
    assertThat(copy(Map.of("inPath", "src", "outpath", "out")).message())
        .isEqualTo("invalid config: config.outPath: is required; "
            + "config.outpath: is not a known field; did you mean \"outPath\"?");
  }

  @Test
  void writingIntoGitIsRejected() throws Exception {
    assertInvalidConfig(() -> copy(Map.of("inPath", "src/notes.tmp", "outPath", "src/.git/notes")),
        "config.outPath: \"src/.git/notes\" is inside a .git directory, which steps may not change");
  }

  private StepResult copy(Map<String, Object> config) throws Exception {
    return TestStepContext.of(workdir, "copy", config).run();
  }

  private void write(String path, String text) throws IOException {
    Path file = workdir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private List<String> files(String dir) throws IOException {
    Path base = workdir.resolve(dir);
    try (Stream<Path> walk = Files.walk(base)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> base.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new))
          .stream().toList();
    }
  }
}
