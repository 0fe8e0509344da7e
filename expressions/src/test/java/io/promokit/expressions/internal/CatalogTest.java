package io.promokit.expressions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.expressions.ExpressionResolver;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every built-in function compiles and has a method to run on, for every argument count it accepts. */
class CatalogTest {

  @Test
  void everyBuiltinCompilesWithEachArgumentCountItAccepts() {
    ExpressionResolver resolver = ExpressionResolver.create();
    for (String name : Catalog.builtinNames()) {
      Catalog.Builtin b = Catalog.builtin(name);
      int max = b.maxArgs() < 0 ? b.minArgs() + 3 : b.maxArgs();
      for (int n = b.minArgs(); n <= max; n++) {
        StringBuilder call = new StringBuilder(name).append('(');
        for (int i = 0; i < n; i++) {
          call.append(i == 0 ? "" : ", ").append(i == 1 && Parser.PREDICATES.containsKey(name) ? "# > 0" : "x");
        }
        String expression = call.append(')').toString();
        assertThat(resolver.inspectExpression(expression).functions()).as(expression).containsExactly(name);
        assertThat(hasMethod(b.method(), n)).as("Functions.%s with %d arguments", b.method(), n).isTrue();
      }
    }
  }

  private static boolean hasMethod(String name, int arity) {
    return Arrays.stream(Functions.class.getMethods())
        .filter(m -> m.getName().equals(name) && Modifier.isPublic(m.getModifiers()))
        .anyMatch(m -> m.getParameterCount() == arity || (m.isVarArgs() && arity >= m.getParameterCount() - 1));
  }

  @Test
  void reservedNamesCoverBuiltinsUnsupportedFunctionsAndKeywords() {
    assertThat(Catalog.isReserved("len")).isTrue();
    assertThat(Catalog.isReserved("date")).isTrue();
    assertThat(Catalog.isReserved("matches")).isTrue();
    assertThat(Catalog.isReserved("team")).isFalse();
  }
}
