package io.promokit.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.CustomStepDefinition.Output;
import io.promokit.CustomStepDefinition.OutputFormat;
import io.promokit.CustomStepDefinition.OutputSource;
import io.promokit.StepException;
import io.promokit.spi.CapturedFile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OutputCaptureTest {

  /** Transforms in these tests read a key of the parsed output; the expression language has its own tests. */
  private static final OutputCapture.Evaluator KEY_READER = (expression, variables) -> {
    Object output = variables.get("output");
    return output instanceof Map<?, ?> m ? m.get(expression) : "no map: " + output;
  };

  private static Map<String, Object> capture(OutputFormat format, String text) {
    return OutputCapture.capture(new Output(OutputSource.PIPE, "", format, Map.of()), file(text), "the KARGO_OUTPUT file",
        KEY_READER);
  }

  private static CapturedFile file(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new CapturedFile(bytes, bytes.length);
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static Stream<Arguments> keyValueCases() {
    return Stream.of(
        Arguments.of("empty", "", map()),
        Arguments.of("one pair", "a=1\n", map("a", "1")),
        Arguments.of("no final newline", "a=1", map("a", "1")),
        Arguments.of("value after the first =", "url=http://x/?a=b=c", map("url", "http://x/?a=b=c")),
        Arguments.of("quotes kept", "q=\"quoted\"\ns='single'", map("q", "\"quoted\"", "s", "'single'")),
        Arguments.of("empty value", "e=", map("e", "")),
        Arguments.of("spaces kept", "k = v ", map("k ", " v ")),
        Arguments.of("lines without = ignored", "hello\n\nk=v\njust text", map("k", "v")),
        Arguments.of("CRLF", "a=1\r\nb=2\r\n", map("a", "1", "b", "2")),
        Arguments.of("later key wins", "a=1\nb=2\na=3", map("a", "3", "b", "2")),
        Arguments.of("heredoc", "notes<<EOF\nline 1\nline 2\nEOF\nafter=x",
            map("notes", "line 1\nline 2", "after", "x")),
        Arguments.of("heredoc with CRLF", "notes<<EOF\r\nline 1\r\nline 2\r\nEOF\r\n", map("notes", "line 1\nline 2")),
        Arguments.of("empty heredoc", "e<<END\nEND", map("e", "")),
        Arguments.of("heredoc keeps = and <<", "h<<X\na=b\nc<<d\nX", map("h", "a=b\nc<<d")),
        Arguments.of("= before << is a pair", "a=b<<c", map("a", "b<<c")),
        Arguments.of("heredoc then same key", "k<<E\nmulti\nE\nk=single", map("k", "single")),
        Arguments.of("unicode", "greeting=grüße ✓", map("greeting", "grüße ✓")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keyValueCases")
  void parsesKeyValueLikeGitHubActions(String name, String text, Map<String, Object> expected) {
    assertThat(capture(OutputFormat.KEY_VALUE, text)).containsExactlyEntriesOf(expected);
  }

  static Stream<Arguments> keyValueErrors() {
    return Stream.of(
        Arguments.of("a=1\nnotes<<EOF\nline\n", "output from the KARGO_OUTPUT file is not valid KeyValue: line 2: "
            + "heredoc for \"notes\" is not terminated by a line \"EOF\""),
        Arguments.of("x<<\nEOF", "output from the KARGO_OUTPUT file is not valid KeyValue: line 1: "
            + "heredoc for \"x\" has no delimiter after <<"),
        Arguments.of("ok=1\n=value", "output from the KARGO_OUTPUT file is not valid KeyValue: line 2: "
            + "the key before \"=\" or \"<<\" is empty"));
  }

  @ParameterizedTest
  @MethodSource("keyValueErrors")
  void rejectsBrokenKeyValue(String text, String message) {
    assertThatThrownBy(() -> capture(OutputFormat.KEY_VALUE, text))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage(message);
  }

  static Stream<Arguments> structuredCases() {
    return Stream.of(
        Arguments.of(OutputFormat.JSON, "{\"a\": 1, \"b\": {\"c\": [true, null, 1.5]}}",
            map("a", 1L, "b", map("c", Arrays.asList(true, null, 1.5)))),
        Arguments.of(OutputFormat.JSON, "[1, 2]", map("output", List.of(1L, 2L))),
        Arguments.of(OutputFormat.JSON, "\"text\"", map("output", "text")),
        Arguments.of(OutputFormat.JSON, "42", map("output", 42L)),
        Arguments.of(OutputFormat.JSON, "null", map("output", null)),
        Arguments.of(OutputFormat.JSON, "  \n", map()),
        Arguments.of(OutputFormat.JSON, "{\"big\": 12345678901234567890}",
            map("big", new java.math.BigInteger("12345678901234567890"))),
        Arguments.of(OutputFormat.YAML, "a: 1\nb:\n  - x\n  - y\n", map("a", 1L, "b", List.of("x", "y"))),
        Arguments.of(OutputFormat.YAML, "- 1\n- 2\n", map("output", List.of(1L, 2L))),
        Arguments.of(OutputFormat.YAML, "just text", map("output", "just text")),
        Arguments.of(OutputFormat.YAML, "", map()),
        Arguments.of(OutputFormat.TEXT, "line 1\nline 2\n", map("output", "line 1\nline 2\n")),
        Arguments.of(OutputFormat.TEXT, "", map("output", "")));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("structuredCases")
  void parsesJsonYamlAndText(OutputFormat format, String text, Map<String, Object> expected) {
    assertThat(capture(format, text)).isEqualTo(expected);
  }

  @Test
  void quotesThePositionOfInvalidJson() {
    assertThatThrownBy(() -> capture(OutputFormat.JSON, "{\n  \"a\": 1,\n  \"b\": }\n"))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessageStartingWith("output from the KARGO_OUTPUT file is not valid JSON at line 3, column 8: Unexpected character ('}'");
  }

  @Test
  void rejectsTrailingJson() {
    assertThatThrownBy(() -> capture(OutputFormat.JSON, "{\"a\": 1} {\"b\": 2}"))
        .hasMessageStartingWith("output from the KARGO_OUTPUT file is not valid JSON at line 1, column 10: Trailing token");
  }

  @Test
  void quotesThePositionOfInvalidYaml() {
    assertThatThrownBy(() -> capture(OutputFormat.YAML, "a: 1\nb: [unclosed\nc: 3\n"))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessageMatching("output from the KARGO_OUTPUT file is not valid YAML at line \\d+, column \\d+: .+");
  }

  static Stream<Arguments> inferredFormats() {
    return Stream.of(
        Arguments.of("report.json", OutputFormat.JSON),
        Arguments.of("dir/REPORT.JSON", OutputFormat.JSON),
        Arguments.of("out.yaml", OutputFormat.YAML),
        Arguments.of("out.yml", OutputFormat.YAML),
        Arguments.of("notes.txt", OutputFormat.TEXT),
        Arguments.of("result.env", OutputFormat.KEY_VALUE),
        Arguments.of("noextension", OutputFormat.KEY_VALUE));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("inferredFormats")
  void infersTheFormatOfAFileFromItsExtension(String path, OutputFormat expected) {
    assertThat(new Output(OutputSource.FILE, path, null, Map.of()).effectiveFormat()).isEqualTo(expected);
  }

  @Test
  void anExplicitFormatWinsOverTheExtensionAndOtherSourcesDefaultToKeyValue() {
    assertThat(new Output(OutputSource.FILE, "a.json", OutputFormat.TEXT, Map.of()).effectiveFormat())
        .isEqualTo(OutputFormat.TEXT);
    assertThat(new Output(OutputSource.STDOUT, "", null, Map.of()).effectiveFormat()).isEqualTo(OutputFormat.KEY_VALUE);
  }

  @Test
  void transformReplacesTheMapWithOneEntryPerExpressionInOrder() {
    Map<String, String> transform = new LinkedHashMap<>();
    transform.put("second", "b");
    transform.put("first", "a");
    Output spec = new Output(OutputSource.PIPE, "", OutputFormat.JSON, transform);

    Map<String, Object> out = OutputCapture.capture(spec, file("{\"a\": 1, \"b\": 2, \"c\": 3}"), "x", KEY_READER);

    assertThat(out).containsExactly(Map.entry("second", 2L), Map.entry("first", 1L));
  }

  @Test
  void transformSeesTheParsedValueBeforeWrapping() {
    Output spec = new Output(OutputSource.STDOUT, "", OutputFormat.TEXT, Map.of("t", "ignored"));

    Map<String, Object> out = OutputCapture.capture(spec, file("hello"), "stdout", KEY_READER);

    assertThat(out).containsExactly(Map.entry("t", "no map: hello"));
  }

  @Test
  void aFailingTransformNamesItsKey() {
    Output spec = new Output(OutputSource.PIPE, "", OutputFormat.JSON, Map.of("hasCritical", "output.summary.critical > 0"));
    OutputCapture.Evaluator failing = (e, v) -> {
      throw new IllegalArgumentException("output.summary is null, cannot read \"critical\"");
    };

    assertThatThrownBy(() -> OutputCapture.capture(spec, file("{}"), "x", failing))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("output.transform.hasCritical: output.summary is null, cannot read \"critical\"");
  }

  @Test
  void acceptsAnOutputMapOfExactlyTheLimit() {
    // {"k":"..."} is 8 bytes plus the value.
    String value = "v".repeat(OutputCapture.MAP_LIMIT - 8);
    assertThat(capture(OutputFormat.KEY_VALUE, "k=" + value)).containsEntry("k", value);
  }

  @Test
  void rejectsAnOutputMapOverTheLimitGivingSizeAndLimit() {
    String value = "v".repeat(OutputCapture.MAP_LIMIT - 7);
    assertThatThrownBy(() -> capture(OutputFormat.KEY_VALUE, "k=" + value))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("output is 262145 bytes as JSON, over the limit of 262144 bytes (256 KiB)");
  }

  @Test
  void appliesTheLimitAfterTheTransform() {
    String big = "v".repeat(OutputCapture.MAP_LIMIT);
    Output spec = new Output(OutputSource.PIPE, "", OutputFormat.KEY_VALUE, Map.of("small", "missing"));

    assertThat(OutputCapture.capture(spec, file("big=" + big), "x", KEY_READER)).containsOnlyKeys("small");
  }

  @Test
  void rejectsASourceLargerThanTheReadCap() {
    CapturedFile capped = new CapturedFile(new byte[OutputCapture.READ_CAP], 20L * 1024 * 1024);

    assertThatThrownBy(() -> OutputCapture.capture(Output.DEFAULT, capped, "stdout", KEY_READER))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("output from stdout is 20971520 bytes, over the read limit of 16777216 bytes (16 MiB)");
  }

  @Test
  void namesTheLowerLimitOfARuntimeThatCutTheSourceShorter() {
    CapturedFile capped = new CapturedFile(new byte[256 * 1024], 300_000L);

    assertThatThrownBy(() -> OutputCapture.capture(Output.DEFAULT, capped, "the KARGO_OUTPUT file", KEY_READER))
        .isInstanceOfSatisfying(StepException.class, e -> assertThat(e.isTerminal()).isTrue())
        .hasMessage("output from the KARGO_OUTPUT file is 300000 bytes, over the read limit of 262144 bytes");
  }
}
