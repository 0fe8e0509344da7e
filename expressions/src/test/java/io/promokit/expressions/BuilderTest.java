package io.promokit.expressions;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BuilderTest {

  @Test
  void builtinFunctionsCannotBeShadowed() {
    for (String name : new String[] {"len", "quote", "secret", "filter", "shellQuote", "date", "in"}) {
      assertThatThrownBy(() -> ExpressionResolver.builder().function(name, args -> null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("function \"" + name + "\" is a built-in function or a word of the language and cannot be "
              + "replaced");
    }
  }

  @Test
  void functionNamesMustBeIdentifiersAndUnique() {
    assertThatThrownBy(() -> ExpressionResolver.builder().function("my-fn", args -> null))
        .hasMessage("function name must be an identifier, but was \"my-fn\"");
    assertThatThrownBy(() -> ExpressionResolver.builder().function("f", args -> 1).function("f", args -> 2))
        .hasMessage("function \"f\" is already registered");
  }

  @Test
  void limitsAreValidated() {
    assertThatThrownBy(() -> ExpressionResolver.builder().timeout(Duration.ZERO))
        .hasMessage("timeout must be positive, but was PT0S");
    assertThatThrownBy(() -> ExpressionResolver.builder().maxSize(0))
        .hasMessage("maxSize must be positive, but was 0");
    assertThatThrownBy(() -> ExpressionResolver.builder().cacheSize(-1))
        .hasMessage("cacheSize must not be negative, but was -1");
  }
}
