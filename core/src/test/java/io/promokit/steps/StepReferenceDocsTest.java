package io.promokit.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.RegisteredStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The reference pages in {@code docs/steps/} carry a fields table generated from each step's schema. This test
 * fails when a table is out of date; run it with {@code -Dpromokit.docs.write=true} to rewrite the tables.
 */
class StepReferenceDocsTest {

  static final String BEGIN = "<!-- fields: generated from the config schema by StepReferenceDocsTest -->\n";
  static final String END = "<!-- end of fields -->\n";

  private static final Path DOCS = Path.of(System.getProperty("user.dir")).resolve("../docs/steps").normalize();

  @Test
  void everyStepHasAPageWithAnUpToDateFieldsTable() throws IOException {
    boolean write = Boolean.getBoolean("promokit.docs.write");
    for (RegisteredStep step : BuiltinSteps.all()) {
      Path page = DOCS.resolve(step.name() + ".md");
      assertThat(page).as("reference page of " + step.name()).exists();
      String text = Files.readString(page);
      int begin = text.indexOf(BEGIN);
      int end = text.indexOf(END);
      assertThat(begin).as(page + " has the generated-fields markers").isGreaterThanOrEqualTo(0);
      assertThat(end).isGreaterThan(begin);
      String table = StepReferenceRenderer.table(step.options().configSchema().orElseThrow().asMap());
      String current = text.substring(begin + BEGIN.length(), end);
      if (write && !current.equals(table)) {
        Files.writeString(page, text.substring(0, begin + BEGIN.length()) + table + text.substring(end));
        continue;
      }
      assertThat(current).as(page + " fields table (rewrite with -Dpromokit.docs.write=true)").isEqualTo(table);
      assertThat(text).as(page + " starts with the step's description")
          .contains(step.options().description());
    }
  }

  @Test
  void indexListsEveryStep() throws IOException {
    String index = Files.readString(DOCS.resolve("README.md"));
    for (RegisteredStep step : BuiltinSteps.all()) {
      assertThat(index).contains("[`" + step.name() + "`](" + step.name() + ".md)");
    }
  }
}
