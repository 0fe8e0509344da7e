package io.promokit.steps.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.StepStatus;
import io.promokit.steps.kit.YamlEditor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** yaml-merge: Kargo's cases, kyaml's merge rules, and the first file's comments. */
class YamlMergeStepTest {

  static final String BASE = """
      # Vader's sheet
      character:
        name: Vader          # the name
        ability: Force
        affiliation: Empire
        saberColor: red
      vehicles:
      - Star Destroyer
      """;
  static final String OVERLAY = """
      character:
        name: Luke # Alters character.name from the base
        # ability: Force  # Should be inherited from the base without alteration
        affiliation: Rebel Alliance # Alters character.affiliation from the base
        saberColor: blue # Alters character.saberColor from the base
        siblings: # A completely new field that the base does not have
        - Leia
      vehicles: # Completely replaces vehicles list from the base
      - Millennium Falcon
      """;

  @TempDir Path workdir;
  private StepRunner steps;

  @BeforeEach
  void setUp() throws Exception {
    steps = new StepRunner(workdir);
    Files.writeString(workdir.resolve("empty.yaml"), "");
    Files.writeString(workdir.resolve("base.yaml"), BASE);
    Files.writeString(workdir.resolve("overlay.yaml"), OVERLAY);
  }

  private StepResult merge(List<String> in, Map<String, ?> more) throws Exception {
    Map<String, Object> config = new java.util.LinkedHashMap<>(more);
    config.put("inFiles", in);
    config.put("outFile", "out/merged.yaml");
    return steps.run("yaml-merge", config);
  }

  private String merged() throws Exception {
    return Files.readString(workdir.resolve("out/merged.yaml"));
  }

  @Test
  void mergesKargosVaderAndLukeKeepingTheBasesComments() throws Exception {
    StepResult result = merge(List.of("empty.yaml", "base.yaml", "overlay.yaml", "gone.yaml"),
        Map.of("ignoreMissingFiles", true));
    assertThat(result.status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(YamlEditor.read(merged())).isEqualTo(Map.of(
        "character", Map.of("name", "Luke", "ability", "Force", "affiliation", "Rebel Alliance", "saberColor", "blue",
            "siblings", List.of("Leia")),
        "vehicles", List.of("Millennium Falcon")));
    assertThat(merged()).startsWith("# Vader's sheet\ncharacter:\n  name: Luke          # the name\n  ability: Force\n");
    assertThat(result.outputs()).containsExactly(Map.entry("commitMessage",
        "Merged 3 YAML files to out/merged.yaml\n- empty.yaml\n- base.yaml\n- overlay.yaml"));
  }

  @Test
  void oneInputIsWrittenAsItIs() throws Exception {
    StepResult result = merge(List.of("base.yaml"), Map.of());
    assertThat(merged()).isEqualTo(BASE);
    assertThat(result.outputs()).containsExactly(Map.entry("commitMessage", "Wrote base.yaml to out/merged.yaml"));
  }

  @Test
  void nullRemovesAKeyAndNewKeysComeInAlphabeticalOrder() throws Exception {
    Files.writeString(workdir.resolve("patch.yaml"), "character:\n  saberColor: null\n  zeta: 1\n  alpha: 2\n");
    merge(List.of("base.yaml", "patch.yaml"), Map.of());
    assertThat(merged()).isEqualTo(BASE.replace("  saberColor: red\n", "  alpha: 2\n  zeta: 1\n"));
  }

  @Test
  void associativeListsMergeItemByItemOnTheirKey() throws Exception {
    Files.writeString(workdir.resolve("deploy.yaml"), """
        containers:
        # the app
        - name: app
          image: app:1
          ports:
          - containerPort: 80
            protocol: TCP
        - name: sidecar
          image: proxy:1
        args: [a, b]
        """);
    Files.writeString(workdir.resolve("patch.yaml"), """
        containers:
        - name: app
          image: app:2
          ports:
          - containerPort: 443
        - name: metrics
          image: metrics:1
        args: [c]
        """);
    merge(List.of("deploy.yaml", "patch.yaml"), Map.of());
    assertThat(YamlEditor.read(merged())).isEqualTo(Map.of(
        "containers", List.of(
            Map.of("name", "app", "image", "app:2", "ports", List.of(
                Map.of("containerPort", 80, "protocol", "TCP"), Map.of("containerPort", 443))),
            Map.of("name", "sidecar", "image", "proxy:1"),
            Map.of("name", "metrics", "image", "metrics:1")),
        "args", List.of("c")));
    assertThat(merged()).contains("# the app\n");
  }

  @Test
  void aNullItemRemovesItFromAnAssociativeList() throws Exception {
    Files.writeString(workdir.resolve("a.yaml"), "env:\n- name: A\n  value: '1'\n- name: B\n  value: '2'\n");
    Files.writeString(workdir.resolve("b.yaml"), "env:\n- name: A\n  value: null\n");
    merge(List.of("a.yaml", "b.yaml"), Map.of());
    assertThat(YamlEditor.read(merged())).isEqualTo(Map.of("env", List.of(Map.of("name", "A"),
        Map.of("name", "B", "value", "2"))));
  }

  @Test
  void noContentGivesAnEmptyFile() throws Exception {
    StepResult result = merge(List.of("empty.yaml"), Map.of());
    assertThat(merged()).isEmpty();
    assertThat(result.outputs()).containsExactly(Map.entry("commitMessage", "Wrote empty.yaml to out/merged.yaml"));
    StepResult none = merge(List.of("gone.yaml"), Map.of("ignoreMissingFiles", true));
    assertThat(merged()).isEmpty();
    assertThat(none.outputs()).isEmpty();
  }

  @Test
  void errors() throws Exception {
    assertThatThrownBy(() -> merge(List.of("base.yaml", "gone.yaml"), Map.of()))
        .isInstanceOf(StepException.class).hasMessage("input file \"gone.yaml\" not found");
    Files.writeString(workdir.resolve("invalid.yaml"), ":");
    assertThatThrownBy(() -> merge(List.of("invalid.yaml"), Map.of()))
        .isInstanceOf(StepException.class)
        .hasMessageStartingWith("error merging YAML files: input file \"invalid.yaml\" is not valid YAML: ");
    Files.writeString(workdir.resolve("list.yaml"), "character:\n- a\n");
    assertThatThrownBy(() -> merge(List.of("base.yaml", "list.yaml"), Map.of()))
        .hasMessage("error merging YAML files: input file \"list.yaml\": character: a list cannot be merged over a map");
    assertThat(workdir.resolve("out/merged.yaml")).doesNotExist();
    assertThat(merge(List.of(), Map.of()).message()).startsWith("invalid config: config.inFiles: ");
    assertThat(merge(List.of("../x.yaml"), Map.of()).message())
        .isEqualTo("invalid config: config.inFiles[0]: \"../x.yaml\" climbs out of the working directory");
  }
}
