package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The command registers the OCI steps (steps-oci) beside the built-ins. */
class OciStepsCommandTest {

  @Test
  void stepsListsTheOciSteps() throws Exception {
    Cli cli = Cli.run("steps");
    assertThat(cli.exitCode).as(cli.toString()).isZero();
    for (String name : new String[] {"oci-download", "oci-push"}) {
      assertThat(cli.out).containsPattern(name + "\\s+built-in\\s+-");
    }
  }
}
