package io.promokit.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.documents.PromotionDocuments;
import io.promokit.internal.DataFormats;
import io.promokit.internal.JsonValues;
import io.promokit.steps.kit.YamlEditor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every YAML reader of promokit resolves scalars the same way: templates (the document loader), files the
 * parse and update steps read (the YAML editor) and container step outputs and schemas (DataFormats).
 */
class YamlScalarResolutionTest {

  /** Plain scalars and what they are: YAML 1.1 as go-yaml v2 reads them, timestamps and base 60 as strings. */
  private static final List<Object[]> CASES = List.of(
      new Object[] {"yes", true}, new Object[] {"No", false}, new Object[] {"ON", true}, new Object[] {"off", false},
      new Object[] {"True", true}, new Object[] {"y", "y"}, new Object[] {"n", "n"},
      new Object[] {"012", 10L}, new Object[] {"0x1A", 26L}, new Object[] {"-0x1F", -31L}, new Object[] {"0b101", 5L},
      new Object[] {"+12", 12L}, new Object[] {"1_000", 1000L}, new Object[] {"0o12", "0o12"},
      new Object[] {"1:30", "1:30"}, new Object[] {"1e3", 1000.0}, new Object[] {"1.5e3", 1500.0},
      new Object[] {".5", 0.5}, new Object[] {"1.", 1.0}, new Object[] {"~", null}, new Object[] {"null", null},
      new Object[] {"NULL", null}, new Object[] {"", null}, new Object[] {"''", ""},
      new Object[] {"2024-01-02", "2024-01-02"}, new Object[] {"2024-01-02T10:00:00Z", "2024-01-02T10:00:00Z"},
      new Object[] {"1.2.3", "1.2.3"}, new Object[] {"v1", "v1"});

  private static String document() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < CASES.size(); i++) {
      sb.append("k").append(i).append(": ").append(CASES.get(i)[0]).append('\n');
    }
    return sb.toString();
  }

  private static Map<String, Object> expected() {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < CASES.size(); i++) {
      values.put("k" + i, CASES.get(i)[1]);
    }
    return values;
  }

  @Test
  void theYamlEditorAndTheDataReadersResolveScalarsAsGoYamlV2() {
    assertThat(JsonValues.normalize(YamlEditor.read(document()))).isEqualTo(expected());
    assertThat(JsonValues.normalize(DataFormats.readYaml(document()))).isEqualTo(expected());
  }

  @Test
  void aTemplatesConfigResolvesScalarsAsTheDataReadersDo() {
    String template = "steps:\n- uses: compose-output\n  config:\n" + document().indent(4);

    Map<String, Object> config = PromotionDocuments.parse(template, "t.yaml").singleTemplate().steps().get(0).config();

    assertThat(JsonValues.normalize(config)).isEqualTo(expected());
  }

  @Test
  void theDataReadersResolveAnchorsOnSingleValuesAndMergeKeys() {
    Object read = DataFormats.readYaml("base: &tag v1\ncopy: *tag\ndefaults: &d {cpu: 1}\nprod:\n  <<: *d\n  mem: 2\n");

    assertThat(read).isEqualTo(Map.of("base", "v1", "copy", "v1", "defaults", Map.of("cpu", 1),
        "prod", Map.of("cpu", 1, "mem", 2)));
  }
}
