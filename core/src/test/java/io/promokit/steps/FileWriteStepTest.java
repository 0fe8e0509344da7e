package io.promokit.steps;

import static io.promokit.steps.InvalidConfigAssertions.assertInvalidConfig;
import static io.promokit.steps.InvalidConfigAssertions.assertInvalidConfigStartingWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWriteStepTest {

  @TempDir Path workdir;

  @Test
  void writesTheFileWithPrivateModeByDefaultAndCreatesParents() throws Exception {
    StepResult result = TestStepContext.of(workdir, "file-write",
        Map.of("path", "out/app/config.yaml", "contents", "replicas: 3\n")).run();

    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    Path file = workdir.resolve("out/app/config.yaml");
    assertThat(file).hasContent("replicas: 3");
    assertThat(Files.readString(file)).isEqualTo("replicas: 3\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void givenPermissionsAreApplied() throws Exception {
    TestStepContext.of(workdir, "file-write", Map.of("path", "a.txt", "contents", "x", "permissions", "0644")).run();
    TestStepContext.of(workdir, "file-write", Map.of("path", "b.txt", "contents", "x", "permissions", "440")).run();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workdir.resolve("a.txt"))))
        .isEqualTo("rw-r--r--");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workdir.resolve("b.txt"))))
        .isEqualTo("r--r-----");
  }

  @Test
  void emptyContentsWriteAnEmptyFile() throws Exception {
    TestStepContext.of(workdir, "file-write", Map.of("path", "empty", "contents", "")).run();

    assertThat(workdir.resolve("empty")).isEmptyFile();
  }

  @Test
  void existingFileIsKeptUnlessOverwriteIsSet() throws Exception {
    Files.writeString(workdir.resolve("a.txt"), "old");

    // Kargo: Test_fileWriter_run "fails when file exists without overwrite" (Failed, not Errored).
    StepResult refused = TestStepContext.of(workdir, "file-write", Map.of("path", "a.txt", "contents", "new")).run();
    assertThat(refused.status()).isEqualTo(StepStatus.FAILED);
    assertThat(refused.message()).isEqualTo("config.path: \"a.txt\" already exists; set overwrite: true to replace it");
    assertThat(workdir.resolve("a.txt")).hasContent("old");

    TestStepContext.of(workdir, "file-write", Map.of("path", "a.txt", "contents", "new", "overwrite", true)).run();
    assertThat(workdir.resolve("a.txt")).hasContent("new");
    assertThat(leftovers()).isZero();
  }

  @Test
  void directoryInTheWayIsAnError() throws Exception {
    Files.createDirectories(workdir.resolve("dir"));

    assertThatThrownBy(() -> TestStepContext.of(workdir, "file-write",
        Map.of("path", "dir", "contents", "x", "overwrite", true)).run())
        .isInstanceOf(StepException.class)
        .hasMessage("config.path: \"dir\" is a directory");
  }

  @Test
  void unsafeModesAreRejectedNamingTheField() throws Exception {
    assertThat(failure("0755")).isEqualTo(
        "invalid config: config.permissions: \"0755\" makes the file executable, which file-write does not allow");
    assertThat(failure("0640")).isNull();
    assertThat(failure("0100")).isEqualTo(
        "invalid config: config.permissions: \"0100\" makes the file executable, which file-write does not allow");
    assertThat(failure("4644")).isEqualTo("invalid config: config.permissions: \"4644\" sets the setuid, "
        + "setgid or sticky bit, which file-write does not allow");
    assertThat(failure("1644")).isEqualTo("invalid config: config.permissions: \"1644\" sets the setuid, "
        + "setgid or sticky bit, which file-write does not allow");
    assertThat(failure("0666")).isEqualTo("invalid config: config.permissions: \"0666\" makes the file "
        + "world-writable, which file-write does not allow");
    assertThat(failure("rw-r--r--")).isEqualTo("invalid config: config.permissions: must be an octal "
        + "mode such as \"0644\", but was \"rw-r--r--\"");
    assertThat(failure("0800")).isEqualTo("invalid config: config.permissions: must be an octal "
        + "mode such as \"0644\", but was \"0800\"");
    assertThat(workdir.resolve("f")).doesNotExist();
  }

  @Test
  void missingOrMistypedFieldsAreNamed() throws Exception {
    assertThat(TestStepContext.of(workdir, "file-write", Map.of("contents", "x")).run().message())
        .isEqualTo("invalid config: config.path: is required");
    assertThat(TestStepContext.of(workdir, "file-write", Map.of("path", "a", "contents", "x", "permissions", 644))
        .run().message())
        .isEqualTo("invalid config: config.permissions: must be a string, but was an integer");
    assertThat(TestStepContext.of(workdir, "file-write", Map.of("path", "a", "contents", "x", "overwrite", "yes"))
        .run().message())
        .isEqualTo("invalid config: config.overwrite: must be a boolean, but was a string");
    assertThat(TestStepContext.of(workdir, "file-write", Map.of("path", "a")).run().message())
        .isEqualTo("invalid config: config.contents: is required");
  }

  @Test
  void writesIntoGitAreRejected() throws Exception {
    Files.createDirectories(workdir.resolve("repo/.git"));

    assertInvalidConfig(() -> TestStepContext.of(workdir, "file-write",
        Map.of("path", "repo/.git/hooks/post-checkout", "contents", "#!/bin/sh")).run(),
        "config.path: \"repo/.git/hooks/post-checkout\" is inside a .git directory, which steps may not change");
  }

  private String failure(String permissions) throws Exception {
    StepResult result = TestStepContext.of(workdir, "file-write",
        Map.of("path", "f-" + permissions, "contents", "x", "permissions", permissions)).run();
    return result.status() == StepStatus.FAILED ? result.message() : null;
  }

  private long leftovers() throws Exception {
    try (Stream<Path> files = Files.list(workdir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".promokit-tmp")).count();
    }
  }
}
