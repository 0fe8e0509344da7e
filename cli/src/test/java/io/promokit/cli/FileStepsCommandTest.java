package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.PromotionPhase;
import io.promokit.records.PromotionRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command registers the file steps (steps-files) beside the built-ins. */
class FileStepsCommandTest {

  @TempDir Path dir;

  @Test
  void stepsListsTheFileSteps() throws Exception {
    Cli cli = Cli.run("steps");
    assertThat(cli.exitCode).as(cli.toString()).isZero();
    for (String name : new String[] {"http-download", "tar", "toml-parse", "toml-update", "untar", "yaml-merge"}) {
      assertThat(cli.out).containsPattern(name + "\\s+built-in\\s+-");
    }
  }

  @Test
  void aTemplateUsesTheFileStepsTogether() throws Exception {
    Path workdir = Files.createDirectories(dir.resolve("work"));
    Files.writeString(workdir.resolve("app.toml"), "# app\n[package]\nversion = \"1.0.0\" # bumped\nreplicas = 1\n");
    Files.writeString(workdir.resolve("base.yaml"), "# base values\nimage:\n  tag: old\n");
    Files.writeString(workdir.resolve("stage.yaml"), "image:\n  tag: new\n");
    Path template = Files.writeString(dir.resolve("template.yaml"), """
        steps:
          - as: bump
            uses: toml-update
            config:
              path: app.toml
              updates:
                - key: package.version
                  value: "1.0.1"
                - key: package.replicas
                  value: 3
          - as: read
            uses: toml-parse
            config:
              path: app.toml
              outputs:
                - name: version
                  fromExpression: package.version
          - uses: yaml-merge
            config:
              inFiles: [base.yaml, stage.yaml]
              outFile: out/values.yaml
          - uses: tar
            config:
              inPath: out
              outPath: bundle.tgz
              gzip: true
          - uses: untar
            config:
              inPath: bundle.tgz
              outPath: unpacked
        """);
    Path record = dir.resolve("record.json");

    Cli cli = Cli.run("run", template.toString(), "--runtime", "local", "--workdir", workdir.toString(),
        "--record", record.toString());

    assertThat(cli.exitCode).as(cli.toString()).isZero();
    PromotionRecord r = PromotionRecord.fromJson(Files.readString(record));
    assertThat(r.phase()).isEqualTo(PromotionPhase.SUCCEEDED);
    assertThat(r.outputs().get("read")).isEqualTo(Map.of("version", "1.0.1"));
    assertThat(workdir.resolve("app.toml")).hasContent("# app\n[package]\nversion = '1.0.1' # bumped\nreplicas = 3\n");
    assertThat(workdir.resolve("unpacked/values.yaml")).hasContent("# base values\nimage:\n  tag: new\n");
  }
}
