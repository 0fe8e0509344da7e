package io.promokit.internal.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LinearYamlFactory}'s parsers (over {@link WholeTextReader}) give the tokens, texts, positions and errors
 * of Jackson's own YAML parser (over SnakeYAML's StreamReader), which reads a long value in quadratic time.
 */
class WholeTextReaderTest {

  private static final YAMLFactory STANDARD = YAMLFactory.builder().loaderOptions(YamlTreeReader.loaderOptions()).build();
  private static final YAMLFactory LINEAR =
      new LinearYamlFactory(YAMLFactory.builder().loaderOptions(YamlTreeReader.loaderOptions()));

  static List<String> texts() {
    return List.of(
        "a: 1\nb: [x, 'y z', \"q\\\"r\"]\nc:\n  - {d: e}\n  - |\n    line one\n    line two\n",
        "\uFEFFkey: value\r\nnext: \"two\r\n  lines\"\r\nlast: end\r\n",
        "# comment\n---\nfirst: 1\n...\n---\nsecond: &anchor {x: 1}\nthird: *anchor\nfourth: >\n  folded\n  text\n",
        "emoji: \"\uD83D\uDE80 rocket\"\ncjk: 漢字\nnel: \"a\u0085b\"\nls: a\u2028b\n",
        "bad: [1, 2\nnext: 3\n",
        "tab:\n\tx: 1\n",
        "key: \"unterminated\n",
        "ctrl: \"a\u0001b\"\n",
        "a: 1\nb: 2\nlong: " + "x".repeat(1100) + "\nc: \"\u0002\"\n");
  }

  @ParameterizedTest
  @MethodSource("texts")
  void theTokensPositionsAndErrorsAreThoseOfSnakeYamlsReader(String text) throws Exception {
    assertThat(tokens(LINEAR, text)).isEqualTo(tokens(STANDARD, text));
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    assertThat(tokens(LINEAR, utf8)).isEqualTo(tokens(STANDARD, utf8));
  }

  @Test
  void aLongValueIsReadWhole() throws Exception {
    String big = "x".repeat(3 * 1024 * 1024);

    List<String> tokens = tokens(LINEAR, "description: " + big + "\nblock: |\n  " + big + "\n");

    assertThat(tokens).hasSize(6);
    assertThat(tokens.get(2)).isEqualTo("VALUE_STRING " + big.length() + " chars @1:14");
    assertThat(tokens.get(4)).isEqualTo("VALUE_STRING " + (big.length() + 1) + " chars @2:8");
  }

  /** Each token with its text (its length when long) and position; a parse error as its message. */
  private static List<String> tokens(JsonFactory factory, Object input) throws Exception {
    List<String> seen = new ArrayList<>();
    try (JsonParser parser = input instanceof String s ? factory.createParser(s) : factory.createParser((byte[]) input)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        JsonLocation at = parser.currentTokenLocation();
        String text = parser.getText();
        seen.add(token + " " + (text != null && text.length() > 100 ? text.length() + " chars" : text)
            + " @" + at.getLineNr() + ":" + at.getColumnNr());
      }
    } catch (JsonProcessingException e) {
      seen.add("error: " + e.getOriginalMessage());
    }
    return seen;
  }
}
