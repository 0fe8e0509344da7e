package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code --help}, {@code help COMMAND} and {@code --version}: on stdout, exit 0; a wrong name is bad input. */
class HelpAndVersionTest {

  @Test
  void theTopLevelHelpListsEveryCommand() {
    for (Cli cli : new Cli[] {Cli.run("--help"), Cli.run("-h"), Cli.run("help")}) {
      assertThat(cli.exitCode).isZero();
      assertThat(cli.err).isEmpty();
      assertThat(cli.out).startsWith("Usage: promokit [-hV] [COMMAND]\n");
      assertThat(cli.out.lines().filter(l -> l.matches("  [a-z]+ +\\S.*")).map(l -> l.strip().split(" ")[0]))
          .containsExactly("run", "validate", "render", "steps", "reap", "help");
    }
  }

  @Test
  void eachCommandHasItsHelpBothWays() {
    for (String command : new String[] {"run", "validate", "render", "steps", "reap"}) {
      Cli asked = Cli.run(command, "--help");
      Cli viaHelp = Cli.run("help", command);

      assertThat(asked.exitCode).isZero();
      assertThat(asked.out).startsWith("Usage: promokit " + command + " [-hV]");
      assertThat(viaHelp.out).isEqualTo(asked.out);
    }
  }

  @Test
  void theVersionComesFromTheBuild() {
    for (Cli cli : new Cli[] {Cli.run("--version"), Cli.run("-V"), Cli.run("render", "--version")}) {
      assertThat(cli.exitCode).isZero();
      assertThat(cli.out).matches("promokit \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
    }
  }

  @Test
  void aWrongNameIsOneLineOfBadInput() {
    Cli option = Cli.run("--verison");
    Cli command = Cli.run("help", "rnu");

    assertThat(option.exitCode).isEqualTo(2);
    assertThat(option.err).isEqualTo("promokit: unknown option \"--verison\"; did you mean --version?"
        + " (see 'promokit --help')\n");
    assertThat(command.exitCode).isEqualTo(2);
    assertThat(command.err).isEqualTo("promokit: unknown command \"rnu\"; did you mean run? (see 'promokit --help')\n");
  }
}
