package io.promokit.steps.git;

import io.promokit.testkit.StepReferencePages;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Each git step (the pull-request steps too) has a page in {@code docs/steps/} starting with its description,
 * linked from the index, whose fields table is generated from the step's schema (rewrite the tables with
 * -Dpromokit.docs.write=true).
 */
class ReferencePagesTest {

  @Test
  void everyStepHasAnUpToDatePage() throws IOException {
    StepReferencePages.check(Path.of(System.getProperty("user.dir")).resolve("../docs/steps").normalize(),
        GitSteps.create().steps());
  }
}
