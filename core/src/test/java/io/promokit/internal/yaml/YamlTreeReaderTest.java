package io.promokit.internal.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.documents.DocumentException;
import io.promokit.documents.SourceLocation;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlTreeReaderTest {

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  @Test
  void everyNodeKnowsItsFileLineAndColumn() throws IOException {
    Path file = write("t.yaml", """
        steps:
          - uses: git-clone
            config:
              repoURL: https://example.com/repo.git
        """);

    YamlObject root = YamlTreeReader.read(file).get(0).value().asObject();
    YamlObject step = root.list("steps").get(0).asObject();

    String name = file.toString();
    assertThat(root.location()).isEqualTo(new SourceLocation(name, 1, 1));
    assertThat(step.location()).isEqualTo(new SourceLocation(name, 2, 5));
    assertThat(step.required("uses").location()).isEqualTo(new SourceLocation(name, 2, 11));
    assertThat(step.keyLocation("config")).isEqualTo(new SourceLocation(name, 3, 5));
    assertThat(step.requiredObject("config").required("repoURL").location())
        .isEqualTo(new SourceLocation(name, 4, 16));
    assertThat(step.requiredObject("config").required("repoURL").path()).isEqualTo("steps[0].config.repoURL");
  }

  @Test
  void severalDocumentsSeparatedByDashesAreReadInOrderAndEmptyOnesSkipped() throws IOException {
    Path file = write("multi.yaml", """
        a: 1
        ---
        ---
        # only a comment
        ---
        b: 2
        """);

    List<YamlDocument> documents = YamlTreeReader.read(file);

    assertThat(documents).hasSize(2);
    assertThat(documents.get(0).root().toPlain()).isEqualTo(Map.of("a", 1L));
    assertThat(documents.get(1).root().toPlain()).isEqualTo(Map.of("b", 2L));
    assertThat(documents.get(1).index()).isEqualTo(1);
    assertThat(documents.get(1).root().location().line()).isEqualTo(6);
  }

  @Test
  void anEmptyFileHasNoDocuments() throws IOException {
    assertThat(YamlTreeReader.read(write("empty.yaml", ""))).isEmpty();
    assertThat(YamlTreeReader.read(write("comments.yaml", "# nothing here\n"))).isEmpty();
  }

  @Test
  void scalarsKeepTheirYamlTypes() {
    YamlNode root = YamlTreeReader.read("""
        quoted: "42"
        single: '7'
        number: 42
        negative: -7
        decimal: 1.5
        yes: true
        nothing: null
        empty:
        quotedEmpty: ''
        text: hello
        hex: 0x1F
        """, "types.yaml").get(0).root();

    @SuppressWarnings("unchecked")
    Map<String, Object> plain = (Map<String, Object>) root.toPlain();
    assertThat(plain.get("quoted")).isEqualTo("42");
    assertThat(plain.get("single")).isEqualTo("7");
    assertThat(plain.get("number")).isEqualTo(42L);
    assertThat(plain.get("negative")).isEqualTo(-7L);
    assertThat(plain.get("decimal")).isEqualTo(1.5);
    assertThat(plain.get("yes")).isEqualTo(true);
    assertThat(plain).containsEntry("nothing", null);
    assertThat(plain).containsEntry("empty", null);
    assertThat(plain.get("quotedEmpty")).isEqualTo("");
    assertThat(plain.get("text")).isEqualTo("hello");
    assertThat(plain.get("hex")).isEqualTo(31L);
    assertThat(plain.keySet()).containsExactly("quoted", "single", "number", "negative", "decimal", "yes",
        "nothing", "empty", "quotedEmpty", "text", "hex");
  }

  @Test
  void bigIntegersAndPreciseDecimalsKeepEveryDigit() {
    YamlNode root = YamlTreeReader.read("""
        big: 123456789012345678901234567890
        beyondDouble: 9007199254740993
        precise: 1.0000000000000000000001
        """, "big.yaml").get(0).root();

    @SuppressWarnings("unchecked")
    Map<String, Object> plain = (Map<String, Object>) root.toPlain();
    assertThat(plain.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(plain.get("beyondDouble")).isEqualTo(9007199254740993L);
    assertThat(plain.get("precise")).isEqualTo(new BigDecimal("1.0000000000000000000001"));
  }

  @Test
  void jsonFilesAreReadWithTheJsonParserAndKeepBigIntegers() throws IOException {
    Path file = write("t.json", """
        {"steps": [{"uses": "x", "config": {"n": 123456789012345678901234567890}}]}
        """);

    YamlObject root = YamlTreeReader.read(file).get(0).value().asObject();
    YamlObject step = root.list("steps").get(0).asObject();

    assertThat(step.plainObject("config").get("n")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(step.location()).isEqualTo(new SourceLocation(file.toString(), 1, 12));
  }

  @Test
  void anchorsAndMergeKeysOnMappingsAreResolved() {
    YamlObject root = YamlTreeReader.read("""
        defaults: &defaults
          retries: 3
          timeout: 5m
        first:
          <<: *defaults
          timeout: 1m
        second: *defaults
        """, "anchors.yaml").get(0).value().asObject();

    assertThat(root.plainObject("first")).containsExactly(Map.entry("timeout", "1m"), Map.entry("retries", 3L));
    assertThat(root.plainObject("second")).isEqualTo(Map.of("retries", 3L, "timeout", "5m"));
  }

  @Test
  void anAliasBombIsRefusedBeforeItIsExpanded() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 9; i++) {
      String previous = "*a" + (i - 1);
      yaml.append("a").append(i).append(": &a").append(i).append(" [").append(String.join(", ",
          java.util.Collections.nCopies(10, previous))).append("]\n");
    }

    assertThatThrownBy(() -> YamlTreeReader.read(yaml.toString(), "bomb.yaml"))
        .isInstanceOf(DocumentException.class)
        .hasMessage("bomb.yaml:6:5: a5: too large: more than 1000000 values once its aliases are expanded");
  }

  @Test
  void anAliasWithoutAnAnchorIsAnError() {
    assertThatThrownBy(() -> YamlTreeReader.read("a: *missing\n", "alias.yaml"))
        .isInstanceOf(DocumentException.class)
        .hasMessage("alias.yaml:1:4: a: unknown anchor \"missing\" (an alias must follow its anchor in the same"
            + " document; anchors on mappings and lists are supported, not on single values)");
  }

  @Test
  void duplicateKeysAreErrorsNamingTheFirstLine() {
    assertThatThrownBy(() -> YamlTreeReader.read("""
        steps:
          - uses: a
            as: one
            as: two
        """, "dup.yaml"))
        .isInstanceOf(DocumentException.class)
        .hasMessage("dup.yaml:4:5: steps[0].as: duplicate key \"as\" (first at line 3)")
        .extracting(e -> ((DocumentException) e).field()).isEqualTo("steps[0].as");
  }

  @Test
  void malformedYamlNamesTheParsersLineAndColumn() throws IOException {
    Path file = write("bad.yaml", """
        steps:
          - uses: a
           as: b
        """);

    assertThatThrownBy(() -> YamlTreeReader.read(file))
        .isInstanceOf(DocumentException.class)
        .hasMessage(file + ":3:4: malformed YAML: while parsing a block collection, expected <block end>, but"
            + " found '<block mapping start>' (check the indentation)");
  }

  @Test
  void anUnquotedColonInAValueIsExplained() {
    assertThatThrownBy(() -> YamlTreeReader.read("message: it failed: badly\n", "colon.yaml"))
        .isInstanceOf(DocumentException.class)
        .hasMessage("colon.yaml:1:19: malformed YAML: mapping values are not allowed here (check the indentation,"
            + " or quote a value that holds \": \")");
  }

  @Test
  void malformedJsonNamesLineAndColumn() {
    assertThatThrownBy(() -> YamlTreeReader.read("{\"steps\": [\n  {\"uses\": }\n]}", "bad.json"))
        .isInstanceOf(DocumentException.class)
        .hasMessage("bad.json:2:12: malformed JSON: Unexpected character ('}' (code 125)): expected a value");
  }

  @Test
  void aMissingFileIsADocumentError() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> YamlTreeReader.read(missing))
        .isInstanceOf(DocumentException.class)
        .hasMessage(missing + ": no such file");
  }

  @Test
  void plainValuesAreUnmodifiable() {
    YamlNode root = YamlTreeReader.read("a: {b: [1, 2]}\n", "t.yaml").get(0).root();
    @SuppressWarnings("unchecked")
    Map<String, Object> plain = (Map<String, Object>) root.toPlain();
    @SuppressWarnings("unchecked")
    Map<String, Object> inner = (Map<String, Object>) plain.get("a");

    assertThatThrownBy(() -> plain.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> inner.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) inner.get("b");
    assertThatThrownBy(() -> list.add(3)).isInstanceOf(UnsupportedOperationException.class);
  }
}
