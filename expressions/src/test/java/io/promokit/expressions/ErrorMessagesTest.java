package io.promokit.expressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact messages of the main kinds of errors, and what each exception carries. */
class ErrorMessagesTest {

  private final ExpressionResolver resolver = ExpressionResolver.builder()
      .function("explode", args -> {
        throw new IllegalStateException("the host broke");
      })
      .function("reject", args -> {
        throw new IllegalArgumentException("expected a team name");
      })
      .timeout(Duration.ofMillis(100))
      .maxSize(1000)
      .build();

  private final ExpressionEnvironment env = ExpressionEnvironment.builder()
      .variable("vars", Map.of("list", List.of(1, 2), "s", "text", "file", new File("/"),
          "many", java.util.Collections.nCopies(999, 1)))
      .build();

  private ExpressionException error(String template) {
    return catchThrowableOfType(ExpressionException.class, () -> resolver.resolve(template, env));
  }

  @Test
  void syntaxErrorsGiveTheColumnOfTheOffendingCharacter() {
    ExpressionException e = error("name: ${{ vars.s + * 2 }}");
    assertThat(e).hasMessage("syntax error: unexpected \"*\" (in expression \"vars.s + * 2\" at column 20 of "
        + "\"name: ${{ vars.s + * 2 }}\")");
    assertThat(e.reason()).isEqualTo("syntax error: unexpected \"*\"");
    assertThat(e.template()).isEqualTo("name: ${{ vars.s + * 2 }}");
    assertThat(e.expression()).isEqualTo("vars.s + * 2");
    assertThat(e.column()).isEqualTo(20);
    assertThat(e.configPath()).isNull();
  }

  @Test
  void syntaxErrorsAreToldApartFromEvaluationErrors() {
    assertThat(error("name: ${{ vars.s + * 2 }}").isSyntaxError()).isTrue();
    assertThat(error("name: ${{ vars.s").isSyntaxError()).isTrue();
    assertThat(error("name: ${{ vars.s + * 2 }}").withConfigPath("config.name").isSyntaxError()).isTrue();
    assertThat(catchThrowableOfType(ExpressionException.class, () -> resolver.evaluate("(1 + 2", env))
        .isSyntaxError()).isTrue();
    assertThat(catchThrowableOfType(ExpressionException.class, () -> resolver.inspect("${{ 1 + }}"))
        .isSyntaxError()).isTrue();
    assertThat(error("${{ vars.nope.x }}").isSyntaxError()).isFalse();
    assertThat(error("${{ explode() }}").isSyntaxError()).isFalse();
  }

  @Test
  void evaluationErrorsGiveTheColumnOfTheExpression() {
    ExpressionException e = error("a ${{ 1 }} b ${{ vars.nope.x }}");
    assertThat(e).hasMessage("vars.nope is null, cannot read \"x\" (in expression \"vars.nope.x\" at column 14 of "
        + "\"a ${{ 1 }} b ${{ vars.nope.x }}\")");
    assertThat(e.column()).isEqualTo(14);
  }

  @Test
  void bareExpressionsAreNamedWithoutATemplate() {
    assertThatThrownBy(() -> resolver.evaluate("vars.list[9]", env))
        .hasMessage("index 9 is out of range for vars.list (a list of length 2) (in expression \"vars.list[9]\" "
            + "at column 1)");
  }

  @Test
  void unknownFunctionsSuggestACloseName() {
    assertThat(error("${{ lenght(vars.s) }}")).hasMessage("syntax error: unknown function lenght() (did you mean "
        + "len()?) (in expression \"lenght(vars.s)\" at column 5 of \"${{ lenght(vars.s) }}\")");
  }

  @Test
  void wrongArgumentCountNamesTheFunction() {
    assertThat(error("${{ upper() }}")).hasMessage("syntax error: upper() expects 1 argument, but got 0 (in "
        + "expression \"upper()\" at column 5 of \"${{ upper() }}\")");
  }

  @Test
  void wrongArgumentTypeNamesTheFunctionAndTheValue() {
    assertThat(error("${{ upper(vars.list) }}")).hasMessage("upper() expects a string, but got list [1,2] (in "
        + "expression \"upper(vars.list)\" at column 1 of \"${{ upper(vars.list) }}\")");
  }

  @Test
  void operatorsOnMismatchedTypesSayWhatWasCombined() {
    assertThat(error("${{ vars.s * 2 }}")).hasMessage("invalid operation: string \"text\" * int 2 (in expression "
        + "\"vars.s * 2\" at column 1 of \"${{ vars.s * 2 }}\")");
  }

  @Test
  void methodCallsOnOtherValuesAreRefused() {
    assertThat(error("${{ vars.file.delete() }}")).hasMessage("cannot call delete() on vars.file, which is a "
        + "value: methods can only be called on values from semverParse(), now() and duration() (in expression "
        + "\"vars.file.delete()\" at column 1 of \"${{ vars.file.delete() }}\")");
    assertThat(error("${{ vars.file.path }}").reason()).isEqualTo("vars.file is a value, cannot read \"path\"");
  }

  @Test
  void hostFunctionErrorsNameTheFunctionAndKeepTheCause() {
    ExpressionException rejected = error("${{ reject() }}");
    assertThat(rejected.reason()).isEqualTo("reject(): expected a team name");
    assertThat(rejected.getCause()).isInstanceOf(IllegalArgumentException.class);
    ExpressionException exploded = error("${{ explode() }}");
    assertThat(exploded.reason()).isEqualTo("explode() failed: the host broke");
    assertThat(exploded.getCause()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void runawayExpressionsSayWhichLimitStoppedThem() {
    assertThat(error("${{ count(vars.many, any(vars.many, any(vars.many, # < 0))) }}").reason())
        .isEqualTo("the expression ran longer than the limit of 100 ms");
    assertThat(error("${{ repeat('ab', 600) }}").reason())
        .isEqualTo("the result would have 1200 characters or elements, more than the limit of 1000");
  }

  @Test
  void anInterruptedThreadStopsWithAnErrorAndStaysInterrupted() {
    Thread.currentThread().interrupt();
    try {
      assertThat(error("${{ vars.s }}").reason()).isEqualTo("the evaluation was interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void configTreeErrorsNameTheConfigPath() {
    Map<String, Object> tree = Map.of("apps", List.of(Map.of("name", "ok"), Map.of("name", "${{ vars.s.x }}")));
    assertThatThrownBy(() -> resolver.resolveTree(tree, env, "config"))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("config.apps[1].name: vars.s is a string, cannot read \"x\" (in expression \"vars.s.x\" at "
            + "column 1 of \"${{ vars.s.x }}\")")
        .satisfies(e -> assertThat(((ExpressionException) e).configPath()).isEqualTo("config.apps[1].name"));
  }

  @Test
  void noMessageShowsTheEngineOrTheTranslatedExpression() {
    for (String template : List.of("${{ vars.s.getClass() }}", "${{ filter(vars.list, #.x) }}",
        "${{ vars.list[0].y }}", "${{ {'a': 1}.a.b }}", "${{ vars.s[1:2][5] }}", "${{ (vars.nope).x }}",
        "${{ vars.nope?.x.y + 1 }}", "${{ 1 < 'a' }}", "${{ -'a' }}", "${{ !'a' }}")) {
      ExpressionException e = error(template);
      assertThat(e).as(template).isNotNull();
      assertThat(e.getMessage()).as(template).doesNotContainIgnoringCase("jexl").doesNotContain("pk:")
          .doesNotContain("$it").doesNotContain("io.promokit").contains("(in expression \"");
    }
  }
}
