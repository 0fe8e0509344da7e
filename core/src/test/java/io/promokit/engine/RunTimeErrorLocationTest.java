package io.promokit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.PromotionEngine;
import io.promokit.PromotionPhase;
import io.promokit.StepRegistry;
import io.promokit.StepStatus;
import io.promokit.documents.PromotionDocuments;
import io.promokit.event.PromotionListener;
import io.promokit.event.StepFinished;
import io.promokit.records.PromotionRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors found only at run time, an expression failing on the values it meets, name where the failing value is
 * written ({@code file:line:column: step "x": ...}), in the record and in the listeners' events (which the CLI
 * prints as its progress lines).
 */
class RunTimeErrorLocationTest {

  @TempDir Path workdir;
  private final List<StepFinished> finished = new CopyOnWriteArrayList<>();

  private PromotionRecord run(String template) {
    try (PromotionEngine engine = PromotionEngine.builder().registry(StepRegistry.builder().withBuiltins().build())
        .listener(new PromotionListener() {
          @Override
          public void stepFinished(StepFinished event) {
            finished.add(event);
          }
        })
        .build()) {
      return engine.sequence(PromotionDocuments.parse(template, "template.yaml").singleTemplate())
          .workdir(workdir).build().run();
    }
  }

  @Test
  void aConfigValueThatFailsIsNamedByItsExpressionsPlace() {
    PromotionRecord record = run("""
        steps:
          - as: first
            uses: compose-output
            config:
              tag: v1
          - as: second
            uses: compose-output
            config:
              deep:
                image: "repo:${{ outputs.first.tag.nope }}"
        """);

    String message = "template.yaml:10:22: step \"second\": config.deep.image: outputs.first.tag is a string, cannot"
        + " read \"nope\" (in expression \"outputs.first.tag.nope\" at column 6 of \"repo:${{ outputs.first.tag.nope"
        + " }}\")";
    assertThat(record.phase()).isEqualTo(PromotionPhase.ERRORED);
    assertThat(record.step("second").orElseThrow().message()).isEqualTo(message);
    assertThat(record.message()).isEqualTo(message);
    assertThat(finished).filteredOn(e -> e.alias().equals("second")).singleElement()
        .extracting(StepFinished::message).isEqualTo(message);
  }

  @Test
  void anIfThatFailsIsNamedAtTheIf() {
    PromotionRecord record = run("""
        steps:
          - as: first
            uses: compose-output
            config: {tag: v1}
          - as: gated
            if: ${{ outputs.first.tag.x == 'y' }}
            uses: compose-output
            config: {a: 1}
        """);

    assertThat(record.step("gated").orElseThrow().message()).startsWith(
        "template.yaml:6:9: step \"gated\": if: outputs.first.tag is a string, cannot read \"x\"");
  }

  @Test
  void aVarThatFailsIsNamedAtItsValueWhetherGlobalOrTheSteps() {
    PromotionRecord stepVar = run("""
        steps:
          - as: first
            uses: compose-output
            config: {tag: v1}
          - as: second
            uses: compose-output
            vars:
              - name: derived
                value: ${{ outputs.first.tag.x }}
            config:
              a: ${{ vars.derived }}
        """);
    PromotionRecord globalVar = run("""
        vars:
          - name: broken
            value: "${{ ctx.stage.x.y }}"
        steps:
          - uses: compose-output
            config:
              a: ${{ vars.broken }}
        """);

    assertThat(stepVar.step("second").orElseThrow().message())
        .startsWith("template.yaml:9:16: step \"second\": vars.derived: outputs.first.tag is a string");
    assertThat(globalVar.step("step-1").orElseThrow().message())
        .startsWith("template.yaml:3:13: step \"step-1\": vars.broken: ");
  }

  @Test
  void aStepsOwnConfigProblemIsNamedAtItsKey() {
    PromotionRecord record = run("""
        steps:
          - as: write
            uses: file-write
            config:
              path: out.txt
              contents: hi
              permissions: "0755"
        """);

    assertThat(record.step("write").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
    assertThat(record.step("write").orElseThrow().message()).isEqualTo("template.yaml:7:7: step \"write\": invalid"
        + " config: config.permissions: \"0755\" makes the file executable, which file-write does not allow");
  }
}
