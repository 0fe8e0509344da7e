package io.promokit.steps.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.steps.kit.IgnorePatterns;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The entry-name rules, the ignore patterns and the stream bound on their own. */
class ArchiveRulesTest {

  private static String path(String name, int strip) {
    EntryNames.Checked checked = EntryNames.check(name, strip);
    return checked.isSkipped() ? "skip: " + checked.skipReason() : checked.path();
  }

  @Test
  void entryNamesAsKargosValidRelPathTableAndOurs() {
    assertThat(path("a/b.txt", 0)).isEqualTo("a/b.txt");
    assertThat(path("./a/b.txt", 0)).as("[ours]").isEqualTo("a/b.txt");
    assertThat(path("a//./b.txt", 0)).isEqualTo("a/b.txt");
    assertThat(path("a/", 0)).isEqualTo("a");
    assertThat(path("../a", 0)).isEqualTo("skip: climbs out with \"..\"");
    assertThat(path("a/../../b", 0)).isEqualTo("skip: climbs out with \"..\"");
    assertThat(path("a/..", 0)).isEqualTo("skip: climbs out with \"..\"");
    assertThat(path("/etc/passwd", 0)).isEqualTo("skip: is an absolute path");
    assertThat(path("a\\b", 0)).isEqualTo("skip: contains a backslash");
    assertThat(path("a\0b", 0)).isEqualTo("skip: contains a NUL character");
    assertThat(path("./", 0)).isEqualTo("skip: names the extraction root itself");
    assertThat(path("", 0)).isEqualTo("skip: names the extraction root itself");
  }

  @Test
  void stripComponentsWorksOnTheStoredName() {
    assertThat(path("prefix1/prefix2/file.txt", 2)).isEqualTo("file.txt");
    assertThat(path("prefix1/prefix2/", 2)).isEqualTo("skip: names the extraction root itself");
    assertThat(path("prefix1/file.txt", 2)).isEqualTo("skip: has no more than 2 path components to strip");
    assertThat(path("./top/file.txt", 1)).as("as in Kargo, ./ counts as a component").isEqualTo("top/file.txt");
    assertThat(path("top/../../x", 1)).isEqualTo("skip: climbs out with \"..\"");
    assertThat(path("top//x", 1)).isEqualTo("skip: is an absolute path");
    assertThat(EntryNames.check("prefix1/file.txt", 2).expected()).isTrue();
    assertThat(EntryNames.check("../x", 0).expected()).isFalse();
  }

  @Test
  void ignorePatternsFollowGitignore() {
    IgnorePatterns rules = IgnorePatterns.parse(List.of("# comment", "", "*.log", "!keep.log", "build/", "/top.txt",
        "docs/**/draft*", "\\#hash"));
    assertThat(rules.isIgnored("a/b/x.log", false)).isTrue();
    assertThat(rules.isIgnored("a/keep.log", false)).isFalse();
    assertThat(rules.isIgnored("build", true)).isTrue();
    assertThat(rules.isIgnored("build", false)).as("a trailing / matches directories only").isFalse();
    assertThat(rules.isIgnored("build/out/x.txt", false)).as("inside an ignored directory").isTrue();
    assertThat(rules.isIgnored("top.txt", false)).isTrue();
    assertThat(rules.isIgnored("sub/top.txt", false)).as("anchored").isFalse();
    assertThat(rules.isIgnored("docs/a/b/draft1.md", false)).isTrue();
    assertThat(rules.isIgnored("docs/draft1.md", false)).isTrue();
    assertThat(rules.isIgnored("#hash", false)).isTrue();
  }

  @Test
  void noPatternMeansDotGit() {
    for (String none : new String[] {null, "", "  \n", "# only a comment\n"}) {
      IgnorePatterns rules = IgnorePatterns.parseOrDefault(none);
      assertThat(rules.isIgnored(".git", true)).isTrue();
      assertThat(rules.isIgnored("sub/.git/config", false)).isTrue();
      assertThat(rules.isIgnored("src/a.txt", false)).isFalse();
    }
    assertThat(IgnorePatterns.parseOrDefault("*.tmp").isIgnored(".git", true)).isFalse();
  }

  @Test
  void theStreamBoundFailsInsteadOfEndingQuietly() throws Exception {
    BoundedInputStream in = new BoundedInputStream(new ByteArrayInputStream(new byte[100]), 99, "the stream");
    byte[] buffer = new byte[64];
    assertThat(in.read(buffer)).isEqualTo(64);
    assertThatThrownBy(() -> in.read(buffer)).isInstanceOf(BoundedInputStream.LimitExceeded.class)
        .hasMessage("the stream is larger than 99 bytes");
    BoundedInputStream exact = new BoundedInputStream(new ByteArrayInputStream(new byte[99]), 99, "the stream");
    assertThat(exact.readAllBytes()).hasSize(99);
  }
}
