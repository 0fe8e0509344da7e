package io.promokit.steps.argocd;

import io.promokit.testkit.StepReferencePages;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Argo CD steps' reference pages name every field (rewrite the tables with -Dpromokit.docs.write=true). */
class ReferencePagesTest {

  @Test
  void everyStepHasAnUpToDatePage() throws IOException {
    StepReferencePages.check(Path.of(System.getProperty("user.dir")).resolve("../docs/steps").normalize(),
        ArgoCdSteps.unconfigured().steps());
  }
}
