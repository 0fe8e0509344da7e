package io.promokit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of the guides is quoted, line for line, from code this build compiles and runs, so a guide
 * cannot drift from the API: docs/embedding.md and docs/testing-your-pipeline.md.
 */
class GuidesQuoteCompiledCodeTest {

  private static final Path ROOT = Path.of("..");

  @Test
  void theEmbeddingGuideQuotesThePromotionService() throws Exception {
    assertQuoted("docs/embedding.md", 3, "examples/src/main/java/io/promokit/examples/PromotionService.java");
  }

  @Test
  void theTestingGuideQuotesTheReleasePipelineTest() throws Exception {
    assertQuoted("docs/testing-your-pipeline.md", 4,
        "examples/src/test/java/io/promokit/examples/ReleasePipelineTest.java");
  }

  /** Each ```java block of the page is a run of lines of one of the sources (indentation aside). */
  private static void assertQuoted(String page, int expectedBlocks, String... sources) throws Exception {
    List<List<String>> code = new ArrayList<>();
    for (String source : sources) {
      code.add(Files.readAllLines(ROOT.resolve(source)).stream().map(String::strip).toList());
    }
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(ROOT.resolve(page)));
    int blocks = 0;
    while (block.find()) {
      List<String> quoted = block.group(1).lines().map(String::strip).toList();
      assertThat(code.stream().anyMatch(lines -> Collections.indexOfSubList(lines, quoted) >= 0))
          .as("%s: this block is not quoted from %s:%n%s", page, List.of(sources), block.group(1)).isTrue();
      blocks++;
    }
    assertThat(blocks).as(page + ": Java blocks").isEqualTo(expectedBlocks);
  }
}
