package io.promokit.steps.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.steps.kit.YamlEditor;
import org.junit.jupiter.api.Test;

/** kyaml merge2's rules, and the text written from the first document. */
class YamlMergeTest {

  private static Object merge(String... documents) throws Exception {
    Object merged = null;
    for (String d : documents) {
      merged = YamlMerge.merge(merged, YamlEditor.read(d));
    }
    return merged;
  }

  private static String text(String base, String... later) throws Exception {
    Object merged = YamlMerge.merge(null, YamlEditor.read(base));
    for (String d : later) {
      merged = YamlMerge.merge(merged, YamlEditor.read(d));
    }
    return new MergedYamlText().write(base, YamlEditor.read(base), merged);
  }

  @Test
  void kyamlsHelpExample() throws Exception {
    String dest = """
        spec:
          replicas: 1
          template:
            spec:
              containers:
              - name: nginx
                image: nginx:1.6
                command: ['old_run.sh', 'arg0']
              - name: sidecar1
                image: sidecar1:v1
        """;
    String src = """
        spec:
          replicas: 3
          template:
            spec:
              containers:
              - name: nginx
                image: nginx:1.7
                command: ['new_run.sh', 'arg1']
              - name: sidecar2
                image: sidecar2:v1
        """;
    assertThat(merge(dest, src)).isEqualTo(YamlEditor.read("""
        spec:
          replicas: 3
          template:
            spec:
              containers:
              - name: nginx
                image: nginx:1.7
                command: ['new_run.sh', 'arg1']
              - name: sidecar1
                image: sidecar1:v1
              - name: sidecar2
                image: sidecar2:v1
        """));
  }

  @Test
  void theFirstAssociativeKeyEveryItemHasWins() throws Exception {
    String dest = "v:\n- mountPath: /a\n  name: x\n  readOnly: true\n- mountPath: /b\n  name: y\n";
    String src = "v:\n- mountPath: /a\n  name: z\n";
    assertThat(merge(dest, src)).isEqualTo(YamlEditor.read(
        "v:\n- mountPath: /a\n  name: z\n  readOnly: true\n- mountPath: /b\n  name: y\n"));
  }

  @Test
  void listsOfScalarsOrOfMapsWithoutAKeyAreReplaced() throws Exception {
    assertThat(merge("a: [1, 2]\n", "a: [3]\n")).isEqualTo(YamlEditor.read("a: [3]\n"));
    assertThat(merge("a: [{x: 1}]\n", "a: [{x: 2}]\n")).isEqualTo(YamlEditor.read("a: [{x: 2}]\n"));
    assertThat(merge("a: [1, 2]\n", "a: []\n")).isEqualTo(YamlEditor.read("a: []\n"));
    assertThat(merge("a: [{name: x}]\n", "a: []\n")).as("an empty list does not clear an associative one")
        .isEqualTo(YamlEditor.read("a: [{name: x}]\n"));
  }

  @Test
  void nullsAreNeverKeptOrAdded() throws Exception {
    assertThat(merge("a: 1\nb: null\n")).isEqualTo(YamlEditor.read("a: 1\n"));
    assertThat(merge("a: 1\n", "b: {c: null, d: 1}\n")).isEqualTo(YamlEditor.read("a: 1\nb: {d: 1}\n"));
    assertThat(merge("a: {b: 1}\n", "a: null\n")).isEqualTo(YamlEditor.read("{}"));
    assertThat(merge("a: 1\n", "~\n")).isEqualTo(YamlEditor.read("a: 1\n"));
  }

  @Test
  void kindsThatCannotMerge() {
    assertThatThrownBy(() -> merge("a: {b: 1}\n", "a: [1]\n")).hasMessage("a: a list cannot be merged over a map");
    assertThatThrownBy(() -> merge("a: {b: 1}\n", "a: x\n")).hasMessage("a: a scalar cannot be merged over a map");
    assertThatThrownBy(() -> merge("a: x\n", "a: {b: 1}\n")).hasMessage("a: a map cannot be merged over a scalar");
    assertThatThrownBy(() -> merge("a: [{name: x}]\n", "a: [y]\n"))
        .hasMessage("conflicting merge keys [name,] for field a");
  }

  @Test
  void theTextKeepsTheFirstFilesCommentsAndLayout() throws Exception {
    String base = """
        # header comment
        app:
          image: "repo/app:1.0"   # pinned
          replicas: 2
          env:
          - name: A   # first
            value: "1"
        flow: {a: 1, b: 2}
        """;
    assertThat(text(base, "app:\n  image: repo/app:2.0\n  env:\n  - name: B\n    value: '2'\n"))
        .isEqualTo(base.replace("repo/app:1.0", "repo/app:2.0")
            .replace("    value: \"1\"\n", "    value: \"1\"\n  - name: B\n    value: \"2\"\n"));
  }

  @Test
  void removedKeysAreCutOutLineByLine() throws Exception {
    String base = "a: 1 # one\nb:\n  c: 2\n  d: 3\n# tail\ne: 4\n";
    assertThat(text(base, "b: null\n")).isEqualTo("a: 1 # one\n# tail\ne: 4\n");
  }

  @Test
  void whatCannotBeEditedInPlaceIsWrittenFresh() throws Exception {
    String base = "flow: {a: 1, b: 2}\n# gone after a fresh write\n";
    String merged = text(base, "flow: {a: null}\n");
    assertThat(YamlEditor.read(merged)).isEqualTo(YamlEditor.read("flow: {b: 2}\n"));
  }
}
