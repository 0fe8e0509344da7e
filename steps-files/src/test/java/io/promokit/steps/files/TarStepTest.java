package io.promokit.steps.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar step, its archives read back by GNU tar. */
class TarStepTest {

  @TempDir Path workdir;
  private StepRunner steps;

  @BeforeEach
  void setUp() throws Exception {
    steps = new StepRunner(workdir);
    Files.createDirectories(workdir.resolve("src/dir/empty"));
    Files.writeString(workdir.resolve("src/top.txt"), "top\n");
    Files.writeString(workdir.resolve("src/dir/a.txt"), "a\n");
    Files.writeString(workdir.resolve("src/debug.log"), "log\n");
    Files.createDirectories(workdir.resolve("src/.git"));
    Files.writeString(workdir.resolve("src/.git/HEAD"), "ref\n");
    Files.createSymbolicLink(workdir.resolve("src/link"), Path.of("dir/a.txt"));
  }

  private List<String> gnuList(String archive, boolean gzip) throws Exception {
    return Processes.run(workdir, "tar", gzip ? "-tzf" : "-tf", archive).lines().sorted().toList();
  }

  @Test
  void archivesADirectoryWithoutItsRootAndWithoutGit() throws Exception {
    StepResult result = steps.run("tar", Map.of("inPath", "src", "outPath", "out/src.tar"));
    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(result.outputs()).isEmpty();
    assertThat(gnuList("out/src.tar", false))
        .containsExactly("debug.log", "dir/", "dir/a.txt", "dir/empty/", "link", "top.txt");
    String verbose = Processes.run(workdir, "tar", "-tvf", "out/src.tar");
    assertThat(verbose).contains("link -> dir/a.txt");
    Path extracted = Files.createDirectories(workdir.resolve("check"));
    Processes.run(extracted, "tar", "-xf", "../out/src.tar");
    assertThat(extracted.resolve("dir/a.txt")).hasContent("a");
    try (Stream<Path> left = Files.list(workdir.resolve("out"))) {
      assertThat(left).hasSize(1);
    }
  }

  @Test
  void gzipsOnRequestWhateverTheName() throws Exception {
    steps.run("tar", Map.of("inPath", "src", "outPath", "src.tar", "gzip", true));
    byte[] head = Files.readAllBytes(workdir.resolve("src.tar"));
    assertThat(head[0] & 0xff).isEqualTo(0x1f);
    assertThat(head[1] & 0xff).isEqualTo(0x8b);
    assertThat(gnuList("src.tar", true)).contains("dir/a.txt");
  }

  @Test
  void ignoreReplacesTheDefaultAndPrunesDirectories() throws Exception {
    steps.run("tar", Map.of("inPath", "src", "outPath", "src.tar", "ignore", "# no logs\n*.log\ndir/\n"));
    assertThat(gnuList("src.tar", false)).containsExactly(".git/", ".git/HEAD", "link", "top.txt");
  }

  @Test
  void aSingleFileIsNamedByItsBaseName() throws Exception {
    steps.run("tar", Map.of("inPath", "src/dir/a.txt", "outPath", "a.tar"));
    assertThat(gnuList("a.tar", false)).containsExactly("a.txt");
  }

  @Test
  void replacesAnExistingArchive() throws Exception {
    Files.writeString(workdir.resolve("src.tar"), "old");
    steps.run("tar", Map.of("inPath", "src/top.txt", "outPath", "src.tar"));
    assertThat(gnuList("src.tar", false)).containsExactly("top.txt");
  }

  @Test
  void aRoundTripThroughUntarGivesTheSameTree() throws Exception {
    steps.run("tar", Map.of("inPath", "src", "outPath", "src.tgz", "gzip", true));
    steps.run("untar", Map.of("inPath", "src.tgz", "outPath", "copy"));
    assertThat(workdir.resolve("copy/dir/a.txt")).hasContent("a");
    assertThat(workdir.resolve("copy/dir/empty")).isDirectory();
    assertThat(Files.readSymbolicLink(workdir.resolve("copy/link"))).isEqualTo(Path.of("dir/a.txt"));
  }

  @Test
  void skipsSpecialFiles() throws Exception {
    Processes.run(workdir.resolve("src"), "mkfifo", "pipe");
    steps.run("tar", Map.of("inPath", "src", "outPath", "src.tar"));
    assertThat(gnuList("src.tar", false)).doesNotContain("pipe");
    assertThat(steps.lines()).contains("INFO: skipped pipe: not a regular file, directory or symlink");
  }

  @Test
  void boundsFileSizesTheTotalAndTheEntryCount() throws Exception {
    Files.write(workdir.resolve("src/big.bin"), new byte[1001]);
    StepRunner small = new StepRunner(FileSteps.builder().maxArchiveFileBytes(1000).build(), workdir);
    assertThatThrownBy(() -> small.run("tar", Map.of("inPath", "src", "outPath", "src.tar")))
        .isInstanceOf(StepException.class)
        .hasMessage("failed to create the tar archive \"src.tar\": file \"big.bin\" size (1001 bytes) exceeds the "
            + "maximum allowed single file size (1000 bytes)");
    StepRunner total = new StepRunner(FileSteps.builder().maxArchiveTotalBytes(1010).build(), workdir);
    assertThatThrownBy(() -> total.run("tar", Map.of("inPath", "src", "outPath", "src.tar")))
        .hasMessage("failed to create the tar archive \"src.tar\": total tar archive source size exceeds the maximum "
            + "allowed size (1010 bytes)");
    StepRunner few = new StepRunner(FileSteps.builder().maxArchiveEntries(3).build(), workdir);
    assertThatThrownBy(() -> few.run("tar", Map.of("inPath", "src", "outPath", "src.tar")))
        .hasMessage("failed to create the tar archive \"src.tar\": the input has more than 3 entries");
    assertThat(workdir.resolve("src.tar")).doesNotExist();
    try (Stream<Path> left = Files.list(workdir)) {
      assertThat(left).extracting(p -> p.getFileName().toString()).containsExactly("src");
    }
  }

  @Test
  void aMissingInputOrABlockedOutputIsAnError() throws Exception {
    assertThatThrownBy(() -> steps.run("tar", Map.of("inPath", "nope", "outPath", "x.tar")))
        .isInstanceOf(StepException.class).hasMessage("config.inPath: \"nope\" does not exist");
    Files.writeString(workdir.resolve("blocker"), "file");
    assertThatThrownBy(() -> steps.run("tar", Map.of("inPath", "src", "outPath", "blocker/x.tar")))
        .isInstanceOf(StepException.class)
        .hasMessageStartingWith("failed to create output directory for \"blocker/x.tar\": ");
  }

  @Test
  void configIsCheckedFirst() throws Exception {
    assertThat(steps.run("tar", Map.of("inPath", "src")).message()).isEqualTo("invalid config: config.outPath: is required");
    assertThat(steps.run("tar", Map.of("inPath", "src", "outPath", "../x.tar")).message())
        .isEqualTo("invalid config: config.outPath: \"../x.tar\" climbs out of the working directory");
    assertThat(steps.run("tar", Map.of("inPath", "src", "outPath", "src/.git/x.tar")).message())
        .isEqualTo("invalid config: config.outPath: \"src/.git/x.tar\" is inside a .git directory, which steps may not change");
  }
}
