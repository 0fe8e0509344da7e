package io.promokit.expressions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.expressions.ExpressionEnvironment;
import io.promokit.expressions.ExpressionResolver;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expressions that fold to a literal are answered without JEXL, with the values JEXL gives them. */
class ConstantExpressionTest {

  private final DefaultExpressionResolver resolver = (DefaultExpressionResolver) ExpressionResolver.create();

  @Test
  void literalsAndLiteralArithmeticNeverStartJexl() {
    ExpressionEnvironment env = ExpressionEnvironment.empty();
    assertThat(resolver.resolve("${{ 1 + 2 }}", env)).isEqualTo(3L);
    assertThat(resolver.evaluate("2 * 3 - 1", env)).isEqualTo(5L);
    assertThat(resolver.evaluate("\"a\" + \"b\"", env)).isEqualTo("ab");
    assertThat(resolver.evaluate("9223372036854775807 + 1", env))
        .isEqualTo(new BigInteger("9223372036854775808"));
    assertThat(resolver.evaluate("true", env)).isEqualTo(true);
    assertThat(resolver.evaluate("nil", env)).isNull();
    assertThat(resolver.resolve("${{ \"Hello, world!\" }}", env)).isEqualTo("Hello, world!");
    assertThat(resolver.engine.jexlBuilt()).isFalse();
  }

  @Test
  void signedAndNonIntegerConstantsStillGoThroughJexlWithTheSameValue() {
    ExpressionEnvironment env = ExpressionEnvironment.empty();
    assertThat(resolver.evaluate("-5", env)).isEqualTo(-5L);
    assertThat(resolver.engine.jexlBuilt()).isTrue();
    assertThat(resolver.evaluate("1 - 3", env)).isEqualTo(-2L);
    assertThat(resolver.evaluate("7 / 2", env)).isEqualTo(3.5);
  }

  @Test
  void anythingReadingVariablesUsesJexl() {
    ExpressionEnvironment env = ExpressionEnvironment.builder().variable("vars", Map.of("a", 1L)).build();
    assertThat(resolver.evaluate("vars.a + 2", env)).isEqualTo(3L);
    assertThat(resolver.engine.jexlBuilt()).isTrue();
  }

  @Test
  void validatingNeverStartsJexl() {
    resolver.inspect("${{ vars.a + len(outputs['x'].list) }}-${{ quote(ctx.stage) }}");
    resolver.inspectExpression("filter(vars.people, .age > 18)");
    assertThat(resolver.engine.jexlBuilt()).isFalse();
  }
}
