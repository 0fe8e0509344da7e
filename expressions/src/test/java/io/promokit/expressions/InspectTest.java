package io.promokit.expressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InspectTest {

  private final ExpressionResolver resolver = ExpressionResolver.builder()
      .function("team", args -> "t")
      .build();

  @Test
  void aPlainStringHasNoExpressions() {
    TemplateInfo info = resolver.inspect("just text ${ HOME }");
    assertThat(info.hasExpressions()).isFalse();
    assertThat(info.template()).isEqualTo("just text ${ HOME }");
  }

  @Test
  void eachExpressionHasItsTextColumnReferencesAndFunctions() {
    TemplateInfo info = resolver.inspect("img: ${{ outputs.build.tag }}-${% upper(vars['env-name']) %}");
    assertThat(info.expressions()).containsExactly(
        new ParsedExpression("outputs.build.tag", 6, Set.of(List.of("outputs", "build", "tag")), Set.of()),
        new ParsedExpression("upper(vars['env-name'])", 31, Set.of(List.of("vars", "env-name")), Set.of("upper")));
  }

  @Test
  void dotAndBracketNotationGiveTheSamePath() {
    ParsedExpression a = resolver.inspectExpression("outputs.build.tag");
    ParsedExpression b = resolver.inspectExpression("outputs['build'].tag");
    ParsedExpression c = resolver.inspectExpression("outputs?.build?.[\"tag\"]");
    assertThat(a.references()).isEqualTo(b.references()).isEqualTo(c.references())
        .containsExactly(List.of("outputs", "build", "tag"));
    assertThat(a.references("outputs", "build")).isTrue();
    assertThat(a.references("vars")).isFalse();
  }

  @Test
  void dynamicKeysEndThePathAndAreAnalysedOnTheirOwn() {
    ParsedExpression p = resolver.inspectExpression("outputs[vars.step].tag + config.apps[0].name");
    assertThat(p.references()).containsExactlyInAnyOrder(List.of("outputs"), List.of("vars", "step"),
        List.of("config", "apps", "0", "name"));
  }

  @Test
  void predicateElementsAreNotVariables() {
    ParsedExpression p = resolver.inspectExpression("filter(vars.items, .name == ctx.stage && #.x > 1)");
    assertThat(p.references()).containsExactlyInAnyOrder(List.of("vars", "items"), List.of("ctx", "stage"));
    assertThat(p.functions()).containsExactly("filter");
  }

  @Test
  void functionsIncludeBuiltinsKargoFunctionsPipesAndHostFunctions() {
    ParsedExpression p = resolver.inspectExpression(
        "semverParse(vars.v).IncMinor().String() | lower() + shellQuote(team()) + string(success())");
    assertThat(p.functions()).containsExactlyInAnyOrder("semverParse", "lower", "shellQuote", "team", "string",
        "success");
    assertThat(p.references()).containsExactly(List.of("vars", "v"));
  }

  @Test
  void envMapPathsAreVariablePaths() {
    assertThat(resolver.inspectExpression("$env.vars.a + $env['ctx'].stage").references())
        .containsExactlyInAnyOrder(List.of("vars", "a"), List.of("ctx", "stage"));
  }

  @Test
  void syntaxErrorsAreReportedWithTheirColumn() {
    assertThatThrownBy(() -> resolver.inspect("ok ${{ 1 }} bad ${{ vars.( }}"))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("syntax error: expected a name after \".\" (in expression \"vars.(\" at column 26 of "
            + "\"ok ${{ 1 }} bad ${{ vars.( }}\")");
    assertThatThrownBy(() -> resolver.inspect("${{ nope() }}")).hasMessageContaining("unknown function nope()");
    assertThatThrownBy(() -> resolver.inspect("${{ unclosed")).hasMessageStartingWith("unclosed expression");
  }

  @Test
  void inspectingDoesNotEvaluate() {
    ExpressionResolver counting = ExpressionResolver.builder().function("tally", args -> {
      throw new AssertionError("must not be called");
    }).build();
    assertThat(counting.inspectExpression("tally()").functions()).containsExactly("tally");
  }
}
