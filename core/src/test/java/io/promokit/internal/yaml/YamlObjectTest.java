package io.promokit.internal.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.documents.DocumentException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlObjectTest {

  private static YamlObject read(String yaml) {
    return YamlTreeReader.read(yaml, "doc.yaml").get(0).value().asObject();
  }

  private static YamlObject firstStep(String yaml) {
    return read(yaml).objectList("steps").get(0);
  }

  @Test
  void anUnknownFieldSuggestsTheClosestAllowedOne() {
    YamlObject step = firstStep("""
        steps:
          - uses: x
            contineOnError: true
        """);

    assertThatThrownBy(() -> step.allowOnly("uses", "as", "continueOnError"))
        .isInstanceOf(DocumentException.class)
        .hasMessage("doc.yaml:3:5: steps[0].contineOnError: unknown field; did you mean \"continueOnError\"?");
  }

  @Test
  void anUnknownFieldWithNothingCloseListsTheAllowedFields() {
    YamlObject step = firstStep("steps:\n  - uses: x\n    banana: 1\n");

    assertThatThrownBy(() -> step.allowOnly("uses", "as", "config"))
        .hasMessage("doc.yaml:3:5: steps[0].banana: unknown field; expected one of: as, config, uses");
  }

  @Test
  void aHintExplainsAFieldPutInTheWrongPlace() {
    YamlObject task = read("task:\n  name: t\n  vars: []\n").requiredObject("task");

    assertThatThrownBy(() -> task.allowOnly(List.of("name", "kind"), Map.of("vars", "vars go next to task")))
        .hasMessage("doc.yaml:3:3: task.vars: unknown field; vars go next to task");
  }

  @Test
  void aMissingRequiredFieldNamesTheMappingAndThePath() {
    YamlObject metadata = read("metadata:\n  namespace: x\n").requiredObject("metadata");

    assertThatThrownBy(() -> metadata.requiredString("name"))
        .hasMessage("doc.yaml:2:3: metadata.name: missing required field");
  }

  @Test
  void aRequiredStringMustNotBeEmpty() {
    YamlObject root = read("name: \"\"\n");

    assertThatThrownBy(() -> root.requiredString("name")).hasMessage("doc.yaml:1:7: name: must not be empty");
  }

  @Test
  void aWrongTypeSaysWhatWasExpectedAndWhatWasFound() {
    YamlObject step = firstStep("steps:\n  - continueOnError: \"yes\"\n    as: [a]\n    retry: 3\n");

    assertThatThrownBy(() -> step.optionalBoolean("continueOnError", false))
        .hasMessage("doc.yaml:2:22: steps[0].continueOnError: expected a boolean (true or false), but was the"
            + " string \"yes\"");
    assertThatThrownBy(() -> step.optionalString("as"))
        .hasMessage("doc.yaml:3:9: steps[0].as: expected a string, but was a list");
    assertThatThrownBy(() -> step.requiredObject("retry"))
        .hasMessage("doc.yaml:4:12: steps[0].retry: expected a mapping, but was the number 3");
  }

  @Test
  void aBadGoDurationNamesTheFieldPath() {
    YamlObject retry = read("""
        steps:
          - uses: a
          - uses: b
          - uses: c
            retry:
              timeout: 5 minutes
        """).objectList("steps").get(2).requiredObject("retry");

    assertThatThrownBy(() -> retry.optionalDuration("timeout"))
        .isInstanceOf(DocumentException.class)
        .hasMessage("doc.yaml:6:16: steps[2].retry.timeout: invalid duration \"5 minutes\": expected a Go duration"
            + " such as 90s, 5m, 1h30m or 500ms")
        .extracting(e -> ((DocumentException) e).field()).isEqualTo("steps[2].retry.timeout");
  }

  @Test
  void goDurationsAreReadAndZeroMeansZero() {
    YamlObject root = read("a: 1h30m\nb: 0\nc: 0s\nd: 500ms\n");

    assertThat(root.optionalDuration("a")).isEqualTo(Duration.ofMinutes(90));
    assertThat(root.optionalDuration("b")).isEqualTo(Duration.ZERO);
    assertThat(root.optionalDuration("c")).isEqualTo(Duration.ZERO);
    assertThat(root.optionalDuration("d")).isEqualTo(Duration.ofMillis(500));
    assertThat(root.optionalDuration("missing")).isNull();
  }

  @Test
  void aNegativeDurationIsAnError() {
    assertThatThrownBy(() -> read("timeout: -5m\n").optionalDuration("timeout"))
        .hasMessage("doc.yaml:1:10: timeout: duration must not be negative, but was -5m");
  }

  @Test
  void aWholeNumberBelowItsMinimumIsAnError() {
    YamlObject root = read("errorThreshold: -1\nratio: 0.5\n");

    assertThatThrownBy(() -> root.optionalInt("errorThreshold", 0, 0))
        .hasMessage("doc.yaml:1:17: errorThreshold: must be at least 0, but was -1");
    assertThatThrownBy(() -> root.optionalInt("ratio", 0, 0))
        .hasMessage("doc.yaml:2:8: ratio: expected a whole number, but was the number 0.5");
  }

  @Test
  void nullReadsAsAbsent() {
    YamlObject root = read("a: null\nb: ~\nc:\n");

    assertThat(root.optionalString("a")).isNull();
    assertThat(root.list("b")).isEmpty();
    assertThat(root.plainObject("c")).isEmpty();
    assertThat(root.has("c")).isTrue();
    assertThatThrownBy(() -> root.requiredString("a")).hasMessage("doc.yaml:1:1: a: missing required field");
  }

  @Test
  void listsStringListsAndStringMapsAreTyped() {
    YamlObject root = read("names: [a, b]\nlabels: {team: platform}\nbad: [a, 1]\n");

    assertThat(root.stringList("names")).containsExactly("a", "b");
    assertThat(root.stringMap("labels")).containsExactly(Map.entry("team", "platform"));
    assertThatThrownBy(() -> root.stringList("bad"))
        .hasMessage("doc.yaml:3:10: bad[1]: expected a string, but was the number 1");
  }

  @Test
  void keysThatAreNotPlainNamesArePrintedQuotedInPaths() {
    YamlObject root = read("config:\n  \"my key\": {x: 1}\n");

    assertThat(root.requiredObject("config").requiredObject("my key").path()).isEqualTo("config[\"my key\"]");
  }
}
