package io.promokit.steps.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TomlEditorTest {

  private final TomlEditor editor = new TomlEditor(new TomlDocuments());

  private String set(String text, String key, Object value) throws Exception {
    return editor.apply(text, List.of(new TomlEditor.Update(DottedKey.split(key), value))).text();
  }

  // Kargo's pkg/toml cases (SetValuesInBytes)

  @Test
  void invalidTomlIsRefusedWithItsPosition() {
    assertThatThrownBy(() -> set("key = \n", "key", "x"))
        .isInstanceOf(TomlDocuments.SyntaxException.class)
        .hasMessageStartingWith("is not valid TOML: ")
        .hasMessageContaining("line 1");
  }

  @Test
  void updatesAScalarAsALiteralString() throws Exception {
    assertThat(set("title = \"old\"\nactive = true\n", "title", "new")).isEqualTo("title = 'new'\nactive = true\n");
  }

  @Test
  void keepsTheCommentAfterTheValue() throws Exception {
    assertThat(set("title = \"old\" # keep me\nactive = true\n", "title", "new"))
        .isEqualTo("title = 'new' # keep me\nactive = true\n");
  }

  @Test
  void updatesAQuotedKeyWithAnEscapedDot() throws Exception {
    assertThat(set("\"example.com/version\" = \"1.0.0\"\n", "example\\.com/version", "2.0.0"))
        .isEqualTo("\"example.com/version\" = '2.0.0'\n");
  }

  @Test
  void updatesAnArrayItem() throws Exception {
    assertThat(set("values = [1, 2, 3]\n", "values.1", 42)).isEqualTo("values = [1, 42, 3]\n");
  }

  @Test
  void updatesAnInlineTableItem() throws Exception {
    assertThat(set("service = { name = \"api\", port = 8080 }\n", "service.port", 9090))
        .isEqualTo("service = { name = \"api\", port = 9090 }\n");
  }

  @Test
  void updatesAnArrayTableItem() throws Exception {
    String text = "[[services]]\nname = \"api\"\nport = 8080\n\n[[services]]\nname = \"web\"\nport = 8081\n";
    assertThat(set(text, "services.1.port", 9090)).isEqualTo(text.replace("8081", "9090"));
  }

  @Test
  void refusesATable() {
    assertThatThrownBy(() -> set("[service]\nname = \"api\"\n", "service", "other"))
        .isInstanceOf(TomlEditor.UpdateException.class)
        .hasMessage("key path addresses Table instead of a scalar node");
  }

  @Test
  void refusesAMissingKey() {
    assertThatThrownBy(() -> set("title = \"old\"\n", "missing", "new"))
        .isInstanceOf(TomlEditor.UpdateException.class).hasMessage("key path not found");
  }

  @Test
  void refusesAValueThatIsNotAScalar() {
    assertThatThrownBy(() -> set("title = \"old\"\n", "title", List.of("a", "b")))
        .isInstanceOf(TomlEditor.UpdateException.class)
        .hasMessage("is not a TOML scalar (a string, number or boolean), but a list")
        .matches(e -> ((TomlEditor.UpdateException) e).isConfigProblem());
  }

  // [ours] integers stay integers; layout and comments are kept

  @Test
  void integersStayIntegersAndWholeFloatsOverIntegersToo() throws Exception {
    assertThat(set("threshold = 10\n", "threshold", 100)).isEqualTo("threshold = 100\n");
    assertThat(set("threshold = 10\n", "threshold", 100.0)).isEqualTo("threshold = 100\n");
    assertThat(set("ratio = 0.5\n", "ratio", 2.0)).isEqualTo("ratio = 2.0\n");
    assertThat(set("ratio = 0.5\n", "ratio", 0.25)).isEqualTo("ratio = 0.25\n");
    assertThat(set("ratio = 0.5\n", "ratio", 1e-7)).isEqualTo("ratio = 0.0000001\n");
  }

  @Test
  void stringsWithQuotesOrControlCharactersAreBasicStrings() throws Exception {
    assertThat(set("s = 'x'\n", "s", "it's")).isEqualTo("s = \"it's\"\n");
    assertThat(set("s = 'x'\n", "s", "a\tb\nc\\\"")).isEqualTo("s = \"a\\tb\\nc\\\\\\\"\"\n");
  }

  @Test
  void keepsEverythingElseOfARealisticFile() throws Exception {
    String text = """
        # Cargo-like manifest
        [package]
        name    = "app"       # aligned on purpose
        version = "1.0.0"
        authors = [
          "a <a@example.com>",  # first
          'b',                  # second
        ]

        [package.metadata]
        build.flags = { opt = 3, lto = true }
        released = 1979-05-27T07:32:00Z
        day = 1979-05-27
        notes = \"\"\"
        multi "line"
        \"\"\"

        [[bin]]
        name = "one"

        [[bin]]
        name = "two" # second bin
        """;
    String updated = editor.apply(text, List.of(
        new TomlEditor.Update(DottedKey.split("package.version"), "1.0.1"),
        new TomlEditor.Update(DottedKey.split("package.authors.1"), "c"),
        new TomlEditor.Update(DottedKey.split("package.metadata.build.flags.opt"), 2),
        new TomlEditor.Update(DottedKey.split("bin.1.name"), "deux"),
        new TomlEditor.Update(DottedKey.split("package.metadata.released"), "now"))).text();
    assertThat(updated).isEqualTo(text
        .replace("version = \"1.0.0\"", "version = '1.0.1'")
        .replace("'b',  ", "'c',  ")
        .replace("opt = 3", "opt = 2")
        .replace("name = \"two\"", "name = 'deux'")
        .replace("released = 1979-05-27T07:32:00Z", "released = 'now'"));
  }

  @Test
  void nestedArraysOfTablesAreAddressedThroughTheirParent() throws Exception {
    String text = """
        [[fruits]]
        name = "apple"
        [[fruits.varieties]]
        name = "red delicious"
        [[fruits]]
        name = "banana"
        [[fruits.varieties]]
        name = "plantain"
        """;
    assertThat(set(text, "fruits.1.varieties.0.name", "cavendish")).contains("name = 'cavendish'")
        .contains("red delicious");
  }

  @Test
  void implicitTablesAndArraysAreNotScalars() {
    assertThatThrownBy(() -> set("[a.b]\nc = 1\n", "a", 1)).hasMessage("key path addresses Table instead of a scalar node");
    assertThatThrownBy(() -> set("a = [1]\n", "a", 1)).hasMessage("key path addresses Array instead of a scalar node");
    assertThatThrownBy(() -> set("a = {b = 1}\n", "a", 1)).hasMessage("key path addresses InlineTable instead of a scalar node");
    assertThatThrownBy(() -> set("[[a]]\nb = 1\n", "a.0", 1)).hasMessage("key path addresses ArrayTable instead of a scalar node");
  }

  @Test
  void keepsWindowsLineEndingsAndAByteOrderMark() throws Exception {
    assertThat(set("\ufeffa = 1\r\n# c\r\nb = 'x'\r\n", "b", "y")).isEqualTo("\ufeffa = 1\r\n# c\r\nb = 'y'\r\n");
  }

  @Test
  void dateTimesWithASpaceAreOneValue() throws Exception {
    assertThat(set("when = 1979-05-27 07:32:00\nx = 1\n", "x", 2)).isEqualTo("when = 1979-05-27 07:32:00\nx = 2\n");
    assertThat(set("when = 1979-05-27 07:32:00\nx = 1\n", "when", "later")).isEqualTo("when = 'later'\nx = 1\n");
  }
}
