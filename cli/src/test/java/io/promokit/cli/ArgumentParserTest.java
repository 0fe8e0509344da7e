package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the command-line parser accepts, stores and refuses, and the exact message of each refusal. */
class ArgumentParserTest {

  enum Color { red, green }

  /** A command with one of each kind of argument, storing into public fields for the assertions. */
  static final class Sample {
    Path file;
    String name;
    boolean verbose;
    final List<String> tags = new ArrayList<>();
    final Map<String, String> vars = new LinkedHashMap<>();
    Color color;
    String mode;

    Arguments arguments(boolean modeRequired) {
      Arguments a = new Arguments("promokit sample", "A sample command.", "Second paragraph.");
      a.positional("FILE", "The file.", Arguments.path("FILE", f -> file = f));
      a.value("--name", "NAME", "A name.", n -> name = n);
      a.flag("--verbose", "Say more.", () -> verbose = true);
      a.repeatable("--tag", "TAG", "A tag.", tags::add);
      a.repeatable("--var", "NAME=VALUE", "A var.", Arguments.keyValue("--var", "NAME=VALUE", vars));
      a.value("--color", "COLOR", "A color.", Arguments.choice("--color", Color.class, c -> color = c));
      a.oneOf(modeRequired, g -> g
          .flag("--fast", "Fast.", () -> mode = "fast")
          .value("--slow", "FACTOR", "Slow.", f -> mode = "slow " + f));
      return a;
    }
  }

  private static Sample parse(String... tokens) {
    Sample sample = new Sample();
    assertThat(ArgumentParser.parse(sample.arguments(false), List.of(tokens))).isEqualTo(ArgumentParser.Outcome.RUN);
    return sample;
  }

  private static String refusal(String... tokens) {
    return refusal(false, tokens);
  }

  private static String refusal(boolean modeRequired, String... tokens) {
    Sample sample = new Sample();
    try {
      ArgumentParser.parse(sample.arguments(modeRequired), List.of(tokens));
    } catch (BadArgumentsException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted " + tokens);
  }

  @Test
  void storesEveryKindOfValueInEitherSpelling() {
    Sample s = parse("--name", "a", "f.yaml", "--verbose", "--tag=x", "--tag", "y", "--var", "k=v=w", "--var=k2=",
        "--color", "green", "--slow=3");

    assertThat(s.file).isEqualTo(Path.of("f.yaml"));
    assertThat(s.name).isEqualTo("a");
    assertThat(s.verbose).isTrue();
    assertThat(s.tags).containsExactly("x", "y");
    assertThat(s.vars).containsExactly(Map.entry("k", "v=w"), Map.entry("k2", ""));
    assertThat(s.color).isEqualTo(Color.green);
    assertThat(s.mode).isEqualTo("slow 3");
  }

  @Test
  void aValueMayStartWithADashUnlessItIsAnOption() {
    assertThat(parse("f", "--name", "-1").name).isEqualTo("-1");
    assertThat(parse("f", "--name=--verbose").name).isEqualTo("--verbose");
    assertThat(refusal("f", "--name", "--verbose")).isEqualTo("Missing required parameter for option '--name' (NAME)");
    assertThat(refusal("f", "--name")).isEqualTo("Missing required parameter for option '--name' (NAME)");
  }

  @Test
  void doubleDashEndsTheOptions() {
    assertThat(parse("--verbose", "--", "--help").file).isEqualTo(Path.of("--help"));
  }

  @Test
  void helpOrVersionAnywhereBeforeDoubleDashWinsOverEverythingElse() {
    Sample sample = new Sample();
    Arguments arguments = sample.arguments(true);

    assertThat(ArgumentParser.parse(arguments, List.of("--nope", "-h"))).isEqualTo(ArgumentParser.Outcome.HELP);
    assertThat(ArgumentParser.parse(arguments, List.of("f", "--help"))).isEqualTo(ArgumentParser.Outcome.HELP);
    assertThat(ArgumentParser.parse(arguments, List.of("-V"))).isEqualTo(ArgumentParser.Outcome.VERSION);
    assertThat(ArgumentParser.parse(arguments, List.of("--version"))).isEqualTo(ArgumentParser.Outcome.VERSION);
  }

  @Test
  void eachBadCommandLineGetsOneMessageSayingWhatIsWrong() {
    assertThat(refusal("f", "--nmae", "x")).isEqualTo("unknown option \"--nmae\"; did you mean --name?");
    assertThat(refusal("f", "--token=s3cret")).isEqualTo("unknown option \"--token\"").doesNotContain("s3cret");
    assertThat(refusal("f", "--verbose=true")).isEqualTo("option '--verbose' takes no value");
    assertThat(refusal("f", "--name", "a", "--name", "b"))
        .isEqualTo("option '--name' (NAME) should be specified only once");
    assertThat(refusal("f", "--var", "novalue"))
        .isEqualTo("Value for option '--var' (NAME=VALUE) should be in NAME=VALUE format but was 'novalue'");
    assertThat(refusal("f", "--var", "=v"))
        .isEqualTo("Value for option '--var' (NAME=VALUE) should be in NAME=VALUE format but was '=v'");
    assertThat(refusal("f", "--color", "Red"))
        .isEqualTo("Invalid value for option '--color': expected one of [red, green] (case-sensitive) but was 'Red'");
    assertThat(refusal("f\0")).startsWith("Invalid value for option 'FILE': 'f\0' is not a path (");
    assertThat(refusal("f", "g")).isEqualTo("unexpected argument 'g'");
    assertThat(refusal("--verbose")).isEqualTo("Missing required parameter: 'FILE'");
    assertThat(refusal("f", "--fast", "--slow", "2")).isEqualTo("--fast and --slow are mutually exclusive (give only one)");
    assertThat(refusal(true, "f"))
        .isEqualTo("Missing required argument (specify one of these): (--fast | --slow=FACTOR)");
  }

  @Test
  void theSameExclusiveOptionTwiceIsARepeatNotAConflict() {
    assertThat(refusal("f", "--slow", "1", "--slow", "2")).isEqualTo("option '--slow' (FACTOR) should be specified only once");
    assertThat(parse("f", "--fast").mode).isEqualTo("fast");
  }

  @Test
  void theUsageListsEveryArgumentSortedAndWrapped() {
    String usage = UsageText.of(new Sample().arguments(true));

    assertThat(usage).startsWith("Usage: promokit sample [-hV] [--color=COLOR] [--name=NAME] [--tag=TAG]..."
        + " [--var=NAME=VALUE]...\n");
    assertThat(usage).contains("[--verbose] (--fast | --slow=FACTOR) FILE\nA sample command.\nSecond paragraph.\n");
    assertThat(usage).contains("      FILE              The file.\n      --color=COLOR     A color.\n");
    assertThat(usage).contains("      --tag=TAG         A tag. (repeatable)\n");
    assertThat(usage).endsWith("  -h, --help            Show this help message and exit.\n"
        + "  -V, --version         Print version information and exit.\n");
    assertThat(usage.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(UsageText.WIDTH));
  }

  @Test
  void anOptionDeclaredTwiceIsAProgrammingError() {
    Arguments a = new Arguments("promokit x");
    a.flag("--a", "A.", () -> { });

    assertThatThrownBy(() -> a.value("--a", "V", "Again.", v -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessage("promokit x declares --a twice");
    assertThatThrownBy(() -> a.flag("--help", "Mine.", () -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessage("promokit x declares --help twice");
  }
}
