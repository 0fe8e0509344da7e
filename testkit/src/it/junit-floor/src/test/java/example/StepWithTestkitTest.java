package example;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.StepResult;
import io.promokit.testkit.TestStepContext;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host's own step, run in-process with the testkit's TestStepContext, on JUnit 5.11. */
class StepWithTestkitTest {

  @Test
  void runsAHostStepAsTheEngineWould(@TempDir Path workdir) throws Exception {
    TestStepContext context = TestStepContext.builder(workdir).config(Map.of("name", "world")).build();

    StepResult result = context.run(ctx -> StepResult.succeeded(Map.of("greeting", "hello " + ctx.config().get("name"))));

    assertThat(result.outputs()).containsEntry("greeting", "hello world");
  }
}
