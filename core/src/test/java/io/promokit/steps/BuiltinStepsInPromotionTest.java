package io.promokit.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.promokit.PromotionEngine;
import io.promokit.PromotionPhase;
import io.promokit.StepRegistry;
import io.promokit.StepStatus;
import io.promokit.documents.PromotionDocuments;
import io.promokit.records.PromotionRecord;
import io.promokit.records.StepRecord;
import io.promokit.validation.ValidationException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in steps run by the real engine from a YAML template: config binding, schema checks, paths. */
class BuiltinStepsInPromotionTest {

  @TempDir Path workdir;
  private HttpServer server;
  private final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/notify", exchange -> {
      received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] body = "{\"received\": true}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void aTemplateOfBuiltinStepsRunsEndToEnd() throws IOException {
    String template = """
        vars:
        - name: tag
          value: v2.0.0
        steps:
        - uses: file-write
          config:
            path: src/chart/values.yaml
            permissions: "0644"
            contents: |
              # chart values
              image:
                repository: ghcr.io/example/app
                tag: "v1.0.0"   # bumped by promokit
        - uses: copy
          config:
            inPath: src/chart
            outPath: out/chart
        - uses: yaml-update
          as: bump
          config:
            path: out/chart/values.yaml
            updates:
            - key: image.tag
              value: ${{ vars.tag }}
        - uses: yaml-parse
          as: check
          config:
            path: ./out/chart/values.yaml
            outputs:
            - name: tag
              fromExpression: image.tag
        - uses: http
          as: notify
          config:
            method: POST
            url: http://127.0.0.1:PORT/notify
            body: ${{ outputs.bump.commitMessage }}
            successExpression: response.status == 200
            outputs:
            - name: received
              fromExpression: response.body.received
        - uses: delete
          config:
            path: src
        - uses: fail
          if: ${{ outputs.check.tag != vars.tag }}
          config:
            message: the tag did not land
        - uses: compose-output
          as: summary
          config:
            tag: ${{ outputs.check.tag }}
            notified: ${{ outputs.notify.received }}
        """.replace("PORT", String.valueOf(server.getAddress().getPort()));

    PromotionRecord record = run(template);

    assertThat(record.phase()).as(record.message()).isEqualTo(PromotionPhase.SUCCEEDED);
    assertThat(record.steps()).extracting(StepRecord::status).containsExactly(StepStatus.SUCCEEDED,
        StepStatus.SUCCEEDED, StepStatus.SUCCEEDED, StepStatus.SUCCEEDED, StepStatus.SUCCEEDED, StepStatus.SUCCEEDED,
        StepStatus.SKIPPED, StepStatus.SUCCEEDED);
    assertThat(Files.readString(workdir.resolve("out/chart/values.yaml"))).isEqualTo("""
        # chart values
        image:
          repository: ghcr.io/example/app
          tag: "v2.0.0"   # bumped by promokit
        """);
    assertThat(workdir.resolve("src")).doesNotExist();
    assertThat(received).containsExactly("Updated out/chart/values.yaml\n\n- image.tag: v2.0.0");
    assertThat(record.outputs().get("summary")).isEqualTo(java.util.Map.of("tag", "v2.0.0", "notified", true));
  }

  @Test
  void configThatIsInvalidOnceEvaluatedAndAnEscapingPathFailNamingTheField() {
    String template = """
        steps:
        - uses: copy
          as: typo
          continueOnError: true
          config:
            inPath: a
            outPath: ${{ 42 }}
        - uses: file-write
          as: escape
          config:
            path: ../outside.txt
            contents: x
        """;

    PromotionRecord record = run(template);

    assertThat(record.step("typo").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
    assertThat(record.step("typo").orElseThrow().message())
        .isEqualTo("template.yaml:7:5: step \"typo\": invalid config: config.outPath: must be a string, but was an "
            + "integer");
    assertThat(record.step("escape").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
    assertThat(record.step("escape").orElseThrow().message())
        .isEqualTo("template.yaml:11:5: step \"escape\": invalid config: config.path: \"../outside.txt\" climbs out of "
            + "the working directory");
    assertThat(record.phase()).isEqualTo(PromotionPhase.FAILED);
    assertThat(workdir.resolveSibling("outside.txt")).doesNotExist();
  }

  @Test
  void literalConfigProblemsAreFoundBeforeAnythingRuns() {
    String template = """
        steps:
        - uses: copy
          as: typo
          config:
            inPath: a
            outpath: b
        """;

    assertThatThrownBy(() -> run(template))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("template.yaml:4:3: error: step \"typo\": config.outPath: is required")
        .hasMessageContaining("template.yaml:6:5: error: step \"typo\": config.outpath: is not a known field; "
            + "did you mean \"outPath\"?");
  }

  private PromotionRecord run(String template) {
    try (PromotionEngine engine = PromotionEngine.builder().registry(StepRegistry.builder().withBuiltins().build())
        .build()) {
      return engine.sequence(PromotionDocuments.parse(template, "template.yaml").singleTemplate())
          .workdir(workdir)
          .keepWorkdir(true)
          .build()
          .run();
    }
  }
}
