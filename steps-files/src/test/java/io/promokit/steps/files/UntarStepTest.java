package io.promokit.steps.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UntarStepTest {

  @TempDir Path workdir;
  @TempDir Path outside;
  private StepRunner steps;
  private Path src;

  @BeforeEach
  void setUp() throws Exception {
    steps = new StepRunner(workdir);
    src = Files.createDirectories(outside.resolve("src"));
    Files.createDirectories(src.resolve("dir/sub"));
    Files.writeString(src.resolve("top.txt"), "top\n");
    Files.writeString(src.resolve("dir/a.txt"), "a\n");
    Files.writeString(src.resolve("dir/sub/b.txt"), "b\n");
    Files.writeString(src.resolve("app.log"), "log\n");
    Files.createDirectories(src.resolve(".git"));
    Files.writeString(src.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.createSymbolicLink(src.resolve("dir/link"), Path.of("sub/b.txt"));
  }

  private StepResult untar(Map<String, ?> config) throws Exception {
    return steps.run("untar", config);
  }

  @Test
  void extractsAnArchiveMadeByGnuTarWithDotSlashNames() throws Exception {
    // [ours] `tar -C dir .` names every entry ./x; Kargo skips them all, promokit extracts them
    Processes.run(src, "tar", "-cf", workdir.resolve("a.tar").toString(), ".");
    StepResult result = untar(Map.of("inPath", "a.tar", "outPath", "out"));
    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(workdir.resolve("out/top.txt")).hasContent("top");
    assertThat(workdir.resolve("out/dir/sub/b.txt")).hasContent("b");
    assertThat(Files.readSymbolicLink(workdir.resolve("out/dir/link"))).isEqualTo(Path.of("sub/b.txt"));
    assertThat(workdir.resolve("out/dir/link")).hasContent("b");
    assertThat(workdir.resolve("out/.git")).as("the default ignore pattern .git works [ours]").doesNotExist();
    assertThat(steps.lines()).anyMatch(l -> l.equals("INFO: extracted a.tar into out: 4 files, 2 directories, 1 symlinks, 2 ignored"));
    try (Stream<Path> left = Files.list(workdir)) {
      assertThat(left).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("a.tar", "out");
    }
  }

  @Test
  void extractsAGzippedArchiveRecognisedByItsFirstBytes() throws Exception {
    Processes.run(src, "tar", "-czf", workdir.resolve("a.tar.bin").toString(), "top.txt", "dir");
    untar(Map.of("inPath", "a.tar.bin", "outPath", "out"));
    assertThat(workdir.resolve("out/dir/a.txt")).hasContent("a");
  }

  @Test
  void stripsLeadingComponentsAsKargoDoes() throws Exception {
    Files.createDirectories(src.resolve("prefix1/prefix2"));
    Files.writeString(src.resolve("prefix1/prefix2/file.txt"), "deep\n");
    Processes.run(src, "tar", "-cf", workdir.resolve("a.tar").toString(), "prefix1");
    untar(Map.of("inPath", "a.tar", "outPath", "out", "stripComponents", 2));
    try (Stream<Path> files = Files.list(workdir.resolve("out"))) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("file.txt");
    }
    assertThat(steps.lines()).noneMatch(l -> l.contains("skipped"));
  }

  @Test
  void ignoreTakesGitignorePatterns() throws Exception {
    // [ours] Kargo's patterns never match (only an exact base name does)
    Processes.run(src, "tar", "-cf", workdir.resolve("a.tar").toString(), ".");
    untar(Map.of("inPath", "a.tar", "outPath", "out", "ignore", "# logs and one directory\n*.log\ndir/sub/\n"));
    assertThat(workdir.resolve("out/app.log")).doesNotExist();
    assertThat(workdir.resolve("out/dir/sub")).doesNotExist();
    assertThat(workdir.resolve("out/dir/a.txt")).exists();
    assertThat(workdir.resolve("out/.git/HEAD")).as("ignore given: .git is not added").exists();
    assertThat(workdir.resolve("out/dir/link")).as("a link may dangle inside").isSymbolicLink();
  }

  @Test
  void ignoreOfKargosExactBaseNameStillWorks() throws Exception {
    Files.writeString(src.resolve("dir/ignore.txt"), "x");
    Processes.run(src, "tar", "-cf", workdir.resolve("a.tar").toString(), "dir");
    untar(Map.of("inPath", "a.tar", "outPath", "out", "ignore", "ignore.txt"));
    assertThat(workdir.resolve("out/dir/ignore.txt")).doesNotExist();
    assertThat(workdir.resolve("out/dir/a.txt")).exists();
  }

  @Test
  void masksSetuidAndKeepsModesAndTimes() throws Exception {
    Path tool = src.resolve("tool");
    Files.writeString(tool, "#!/bin/sh\n");
    Processes.run(src, "chmod", "6755", "tool");
    Files.setLastModifiedTime(tool, FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));
    Processes.run(src, "tar", "-cf", workdir.resolve("a.tar").toString(), "tool");
    untar(Map.of("inPath", "a.tar", "outPath", "out"));
    Path extracted = workdir.resolve("out/tool");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(extracted))).isEqualTo("rwxr-xr-x");
    assertThat(Files.getLastModifiedTime(extracted).toInstant()).isEqualTo(Instant.parse("2020-01-02T03:04:05Z"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workdir.resolve("out"))))
        .isEqualTo("rwxr-x---");
  }

  @Test
  void replacesWhatWasAtOutPath() throws Exception {
    Files.createDirectories(workdir.resolve("out/old"));
    Files.writeString(workdir.resolve("out/old/stale.txt"), "stale");
    Processes.run(src, "tar", "-cf", workdir.resolve("a.tar").toString(), "top.txt");
    untar(Map.of("inPath", "a.tar", "outPath", "out"));
    assertThat(workdir.resolve("out/old")).doesNotExist();
    assertThat(workdir.resolve("out/top.txt")).exists();
    try (Stream<Path> left = Files.list(workdir)) {
      assertThat(left).hasSize(2);
    }
  }

  @Test
  void aFailingExtractionLeavesOutPathAsItWasAndNothingBehind() throws Exception {
    Files.createDirectories(workdir.resolve("out"));
    Files.writeString(workdir.resolve("out/keep.txt"), "keep");
    Files.writeString(workdir.resolve("not.tar"), "this is not a tar archive, just some text that is long enough "
        + "to fill a header block? no: it is far shorter than 512 bytes");
    assertThatThrownBy(() -> untar(Map.of("inPath", "not.tar", "outPath", "out")))
        .isInstanceOf(StepException.class)
        .hasMessageStartingWith("failed to extract tar file \"not.tar\": ");
    assertThat(workdir.resolve("out/keep.txt")).hasContent("keep");
    try (Stream<Path> left = Files.list(workdir)) {
      assertThat(left).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("not.tar", "out");
    }
  }

  @Test
  void aMissingArchiveIsAnError() {
    assertThatThrownBy(() -> untar(Map.of("inPath", "none.tar", "outPath", "out")))
        .isInstanceOf(StepException.class).hasMessage("config.inPath: \"none.tar\" does not exist");
  }

  @Test
  void pathsOutsideTheWorkdirAreInvalidConfig() throws Exception {
    StepResult result = untar(Map.of("inPath", "../x.tar", "outPath", "out"));
    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.message()).isEqualTo("invalid config: config.inPath: \"../x.tar\" climbs out of the working directory");
    assertThat(untar(Map.of("inPath", "a.tar")).message()).isEqualTo("invalid config: config.outPath: is required");
    assertThat(untar(Map.of("inPath", "a.tar", "outPath", "o", "stripComponents", -1)).message())
        .startsWith("invalid config: config.stripComponents: ");
  }

  // ---- the archive safety rules, one by one ----

  @Test
  void skipsNamesThatClimbOutOrAreAbsolute() throws Exception {
    try (CraftedArchive tar = CraftedArchive.create(workdir.resolve("evil.tar"))) {
      tar.file("../escaped.txt", "x").file("a/../../escaped2.txt", "x").file("/tmp/absolute.txt", "x")
          .file("back\\slash.txt", "x").file("fine.txt", "ok");
    }
    untar(Map.of("inPath", "evil.tar", "outPath", "out"));
    assertThat(workdir.resolve("escaped.txt")).doesNotExist();
    assertThat(workdir.getParent().resolve("escaped.txt")).doesNotExist();
    assertThat(workdir.resolve("out/fine.txt")).hasContent("ok");
    try (Stream<Path> files = Files.walk(workdir.resolve("out"))) {
      assertThat(files).hasSize(2);
    }
    assertThat(steps.lines()).contains(
        "INFO: skipped archive entry \"../escaped.txt\": climbs out with \"..\"",
        "INFO: skipped archive entry \"a/../../escaped2.txt\": climbs out with \"..\"",
        "INFO: skipped archive entry \"/tmp/absolute.txt\": is an absolute path",
        "INFO: skipped archive entry \"back\\slash.txt\": contains a backslash");
  }

  @Test
  void skipsSymlinksThatLeadOut() throws Exception {
    try (CraftedArchive tar = CraftedArchive.create(workdir.resolve("evil.tar"))) {
      tar.symlink("abs", outside.toString())
          .symlink("up", "../../..")
          .symlink("self", ".")
          .symlink("sneaky", "self/..")           // "." then ".." from the root: out
          .directory("dir")
          .symlink("inside", "dir/../top.txt")
          .file("top.txt", "top");
    }
    untar(Map.of("inPath", "evil.tar", "outPath", "out"));
    Path out = workdir.resolve("out");
    assertThat(out.resolve("abs")).doesNotExist();
    assertThat(out.resolve("up")).doesNotExist();
    assertThat(out.resolve("sneaky")).doesNotExist();
    assertThat(out.resolve("self")).isSymbolicLink();
    assertThat(out.resolve("inside")).hasContent("top");
    assertThat(steps.lines()).contains(
        "INFO: skipped archive entry \"abs\": is a symlink to \"" + outside + "\", an absolute path",
        "INFO: skipped archive entry \"up\": is a symlink to \"../../..\", which leads out of the extraction directory",
        "INFO: skipped archive entry \"sneaky\": is a symlink to \"self/..\", which leads out of the extraction directory");
  }

  @Test
  void aLaterEntryCannotTurnAnEarlierLinkIntoAWayOut() throws Exception {
    // "l -> q/.." is inside while q is missing; then "q -> ." makes it the root's parent
    try (CraftedArchive tar = CraftedArchive.create(workdir.resolve("evil.tar"))) {
      tar.symlink("l", "q/..").symlink("q", ".");
    }
    untar(Map.of("inPath", "evil.tar", "outPath", "out"));
    assertThat(workdir.resolve("out/l")).doesNotExist();
    assertThat(workdir.resolve("out/q")).isSymbolicLink();
    assertThat(steps.lines()).contains("INFO: skipped archive entry \"l\": is a symlink that leads out of the "
        + "extraction directory through links extracted after it");
  }

  @Test
  void neverWritesThroughALinkAndReplacesLinksItself() throws Exception {
    Path target = Files.writeString(outside.resolve("victim.txt"), "safe");
    Files.createDirectories(outside.resolve("victimdir"));
    try (CraftedArchive tar = CraftedArchive.create(workdir.resolve("evil.tar"))) {
      tar.directory("sub")
          .symlink("inner", "sub")
          .file("inner/through.txt", "ok")           // through a link that stays inside: fine
          .symlink("victim", "sub/x")
          .file("victim", "replaced the link, not its target");
    }
    untar(Map.of("inPath", "evil.tar", "outPath", "out"));
    assertThat(workdir.resolve("out/sub/through.txt")).hasContent("ok");
    assertThat(workdir.resolve("out/victim")).isRegularFile().hasContent("replaced the link, not its target");
    assertThat(workdir.resolve("out/sub/x")).doesNotExist();
    assertThat(target).hasContent("safe");
  }

  @Test
  void skipsHardLinksDevicesAndFifos() throws Exception {
    try (CraftedArchive tar = CraftedArchive.create(workdir.resolve("evil.tar"))) {
      tar.file("real.txt", "r")
          .hardLink("hard", "/etc/passwd")
          .special("chardev", TarConstants.LF_CHR)
          .special("blockdev", TarConstants.LF_BLK)
          .special("fifo", TarConstants.LF_FIFO);
    }
    untar(Map.of("inPath", "evil.tar", "outPath", "out"));
    try (Stream<Path> files = Files.list(workdir.resolve("out"))) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("real.txt");
    }
    assertThat(steps.lines()).contains(
        "INFO: skipped archive entry \"hard\": is a hard link, which untar does not create",
        "INFO: skipped archive entry \"chardev\": is a character device, which untar does not create",
        "INFO: skipped archive entry \"blockdev\": is a block device, which untar does not create",
        "INFO: skipped archive entry \"fifo\": is a FIFO, which untar does not create");
  }

  @Test
  void skipsAFifoArchivedByGnuTar() throws Exception {
    Processes.run(src, "mkfifo", "pipe");
    Processes.run(src, "tar", "-cf", workdir.resolve("a.tar").toString(), "pipe", "top.txt");
    untar(Map.of("inPath", "a.tar", "outPath", "out"));
    assertThat(workdir.resolve("out/pipe")).doesNotExist();
    assertThat(workdir.resolve("out/top.txt")).exists();
  }

  @Test
  void boundsEachFileTheTotalAndTheEntryCount() throws Exception {
    StepRunner small = new StepRunner(FileSteps.builder().maxArchiveFileBytes(1000).maxArchiveTotalBytes(1500)
        .maxArchiveEntries(5).build(), workdir);
    try (CraftedArchive tar = CraftedArchive.create(workdir.resolve("big.tar"))) {
      tar.zeros("big", 1001);
    }
    assertThatThrownBy(() -> small.run("untar", Map.of("inPath", "big.tar", "outPath", "out")))
        .isInstanceOf(StepException.class)
        .hasMessage("failed to extract tar file \"big.tar\": extraction aborted: file big exceeds size limit of 1000 bytes");
    try (CraftedArchive tar = CraftedArchive.create(workdir.resolve("total.tar"))) {
      tar.zeros("one", 800).zeros("two", 800);
    }
    assertThatThrownBy(() -> small.run("untar", Map.of("inPath", "total.tar", "outPath", "out")))
        .hasMessage("failed to extract tar file \"total.tar\": extraction aborted: total size would exceed limit of "
            + "1500 bytes");
    try (CraftedArchive tar = CraftedArchive.create(workdir.resolve("many.tar"))) {
      for (int i = 0; i < 6; i++) {
        tar.file("f" + i, "");
      }
    }
    assertThatThrownBy(() -> small.run("untar", Map.of("inPath", "many.tar", "outPath", "out")))
        .hasMessage("failed to extract tar file \"many.tar\": extraction aborted: the archive has more than 5 entries");
    assertThat(workdir.resolve("out")).doesNotExist();
    try (Stream<Path> left = Files.list(workdir)) {
      assertThat(left).hasSize(3);
    }
  }

  @Test
  void aGzipBombStopsAtTheLimitWithoutFillingTheDisk() throws Exception {
    // 256 MiB of zeros in a gzip of about 250 KiB: refused from its header, before a byte is written
    try (CraftedArchive tar = CraftedArchive.gzipped(workdir.resolve("bomb.tar.gz"))) {
      tar.zeros("zeros", 256L << 20);
    }
    assertThat(Files.size(workdir.resolve("bomb.tar.gz"))).isLessThan(1L << 20);
    assertThatThrownBy(() -> untar(Map.of("inPath", "bomb.tar.gz", "outPath", "out")))
        .hasMessage("failed to extract tar file \"bomb.tar.gz\": extraction aborted: file zeros exceeds size limit of "
            + (50L << 20) + " bytes");
    assertThat(workdir.resolve("out")).doesNotExist();
  }

  @Test
  void anOutPathThatIsAFileIsAnError() throws Exception {
    Files.writeString(workdir.resolve("out"), "file");
    Processes.run(src, "tar", "-cf", workdir.resolve("a.tar").toString(), "top.txt");
    assertThatThrownBy(() -> untar(Map.of("inPath", "a.tar", "outPath", "out")))
        .hasMessage("config.outPath: \"out\" exists and is not a directory");
    assertThat(Files.isRegularFile(workdir.resolve("out"), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }
}
