package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rewrites archives made by the system's tar (GNU and PAX formats) and checks them with tar again. */
class TarOwnershipRewriterTest {

  @TempDir
  Path temp;

  private Path tree() throws IOException {
    Path root = Files.createDirectories(temp.resolve("src/top"));
    Files.writeString(root.resolve("small.txt"), "small\n");
    Files.write(root.resolve("big.bin"), new byte[100_000]);
    Path deep = Files.createDirectories(root.resolve("a-folder-with-a-name-long-enough".repeat(3) + "/and/more"));
    Files.writeString(deep.resolve("file-whose-path-is-over-one-hundred-characters-long.txt"), "deep\n");
    Files.createSymbolicLink(root.resolve("link"), Path.of("small.txt"));
    Files.createFile(root.resolve("empty"));
    return root;
  }

  private byte[] tar(String format, int uid, int gid) throws Exception {
    tree();
    Path archive = temp.resolve(format + ".tar");
    run(List.of("tar", "--format=" + format, "--owner=" + uid, "--group=" + gid, "--numeric-owner",
        "-C", temp.resolve("src").toString(), "-cf", archive.toString(), "top"));
    return Files.readAllBytes(archive);
  }

  private static String run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    return output;
  }

  private String listing(byte[] archive) throws Exception {
    Path file = Files.write(temp.resolve("listing-" + System.nanoTime() + ".tar"), archive);
    return run(List.of("tar", "--numeric-owner", "-tvf", file.toString()));
  }

  private static byte[] rewrite(byte[] archive, int uid, int gid, int readSize) throws IOException {
    try (InputStream in = new TarOwnershipRewriter(new ByteArrayInputStream(archive), uid, gid)) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[readSize];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  @Test
  void givesEveryEntryOfAGnuArchiveTheNewOwnerAndKeepsTheContent() throws Exception {
    byte[] original = tar("gnu", 65532, 65532);
    byte[] rewritten = rewrite(original, 1000, 1001, 777);

    String listing = listing(rewritten);
    assertThat(listing.lines().count()).isEqualTo(listing(original).lines().count());
    assertThat(listing.lines()).allSatisfy(line -> assertThat(line).contains(" 1000/1001 "));
    assertThat(listing).contains("file-whose-path-is-over-one-hundred-characters-long.txt", "link -> small.txt");
    assertThat(contentOf(rewritten, "top/big.bin")).isEqualTo(new byte[100_000]);
    assertThat(new String(contentOf(rewritten, "top/small.txt"), StandardCharsets.UTF_8)).isEqualTo("small\n");
  }

  @Test
  void dropsOwnerRecordsOfPaxHeaders() throws Exception {
    // A uid over 2097151 does not fit the octal field: tar writes it in a PAX record.
    byte[] original = tar("posix", 3_000_000, 3_000_001);
    assertThat(listing(original)).contains("3000000/3000001");

    byte[] rewritten = rewrite(original, 1000, 1001, 8192);

    String listing = listing(rewritten);
    assertThat(listing).doesNotContain("3000000");
    assertThat(listing.lines()).allSatisfy(line -> assertThat(line).contains(" 1000/1001 "));
    assertThat(listing).contains("file-whose-path-is-over-one-hundred-characters-long.txt");
    assertThat(new String(contentOf(rewritten, "top/small.txt"), StandardCharsets.UTF_8)).isEqualTo("small\n");
  }

  @Test
  void writesAnOwnerTooLargeForOctalInBase256() throws Exception {
    byte[] rewritten = rewrite(tar("gnu", 0, 0), 3_000_000, 3_000_001, 4096);
    assertThat(listing(rewritten).lines()).allSatisfy(line -> assertThat(line).contains(" 3000000/3000001 "));
  }

  @Test
  void refusesAnArchiveThatEndsInsideAnEntry() throws Exception {
    byte[] original = tar("gnu", 1, 1);
    byte[] cut = Arrays.copyOf(original, 512 + 100);
    assertThatThrownBy(() -> rewrite(cut, 2, 2, 512)).isInstanceOf(IOException.class)
        .hasMessageContaining("tar stream ended inside");
  }

  @Test
  void filtersOnlyOwnerRecords() throws IOException {
    byte[] records = ("11 uid=123\n" + "11 gid=456\n" + "32 path=some/long/path/name.txt\n" + "14 uname=root\n")
        .getBytes(StandardCharsets.US_ASCII);
    assertThat(new String(TarOwnershipRewriter.filterPaxRecords(records), StandardCharsets.US_ASCII))
        .isEqualTo("32 path=some/long/path/name.txt\n");
  }

  private byte[] contentOf(byte[] archive, String name) throws Exception {
    Path file = Files.write(temp.resolve("extract-" + System.nanoTime() + ".tar"), archive);
    Path dir = Files.createDirectories(temp.resolve("extract-" + System.nanoTime()));
    List<String> command = new ArrayList<>(List.of("tar", "--no-same-owner", "-xf", file.toString(), "-C", dir.toString(), name));
    run(command);
    return Files.readAllBytes(dir.resolve(name));
  }
}
