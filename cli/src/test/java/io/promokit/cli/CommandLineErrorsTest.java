package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command line that does not parse: exit 2 and one line saying what is wrong, never the whole usage. */
class CommandLineErrorsTest {

  @TempDir Path dir;

  @Test
  void noCommandIsOneLine() {
    Cli cli = Cli.run();

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.out).isEmpty();
    assertThat(cli.err).isEqualTo(
        "promokit: no command given; try 'promokit run TEMPLATE', or 'promokit --help' for the commands\n");
  }

  @Test
  void anUnknownCommandNamesTheClosestOne() {
    Cli typo = Cli.run("rn", "t.yaml");
    Cli unlike = Cli.run("deploy-everything");

    assertThat(typo.exitCode).isEqualTo(2);
    assertThat(typo.err).isEqualTo("promokit: unknown command \"rn\"; did you mean run? (see 'promokit --help')\n");
    assertThat(unlike.exitCode).isEqualTo(2);
    assertThat(unlike.err).isEqualTo("promokit: unknown command \"deploy-everything\"; the commands are help, reap, render,"
        + " run, steps, validate (see 'promokit --help')\n");
  }

  @Test
  void aBadOptionValueIsOneLine() throws Exception {
    Path template = Files.writeString(dir.resolve("t.yaml"), "steps:\n  - uses: compose-output\n    config: {a: 1}\n");

    Cli cli = Cli.run("run", template.toString(), "--runtime", "nope");

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err).isEqualTo("promokit run: Invalid value for option '--runtime': expected one of"
        + " [auto, docker, kubernetes, local] (case-sensitive) but was 'nope' (see 'promokit run --help')\n");
  }

  @Test
  void anUnknownOptionNamesTheClosestOne() throws Exception {
    Path template = Files.writeString(dir.resolve("t.yaml"), "steps:\n  - uses: compose-output\n    config: {a: 1}\n");

    Cli cli = Cli.run("run", template.toString(), "--wrokdir", dir.toString());

    assertThat(cli.exitCode).isEqualTo(2);
    assertThat(cli.err).isEqualTo("promokit run: unknown option \"--wrokdir\"; did you mean --workdir?"
        + " (see 'promokit run --help')\n");
  }

  @Test
  void aMissingValueOrTemplateIsOneLine() throws Exception {
    Path template = Files.writeString(dir.resolve("t.yaml"), "steps:\n  - uses: compose-output\n    config: {a: 1}\n");

    Cli noValue = Cli.run("run", template.toString(), "--var");
    Cli noTemplate = Cli.run("validate");
    Cli both = Cli.run("run", template.toString(), "--quiet", "--json");

    assertThat(noValue.exitCode).isEqualTo(2);
    assertThat(noValue.err).isEqualTo("promokit run: Missing required parameter for option '--var' (NAME=VALUE)"
        + " (see 'promokit run --help')\n");
    assertThat(noTemplate.exitCode).isEqualTo(2);
    assertThat(noTemplate.err).isEqualTo("promokit validate: Missing required parameter: 'TEMPLATE'"
        + " (see 'promokit validate --help')\n");
    assertThat(both.exitCode).isEqualTo(2);
    assertThat(both.err).hasLineCount(1).startsWith("promokit run: ").contains("--quiet").contains("--json");
  }
}
