package io.promokit.expressions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuotingTest {

  @Test
  void jsonEscapesQuotesBackslashesAndControlCharacters() {
    assertThat(Quoting.json("a \"b\" \\ c\nd\te\u0001\u2028")).isEqualTo("\"a \\\"b\\\" \\\\ c\\nd\\te\\u0001\\u2028\"");
    assertThat(Quoting.json("héllo 🚀")).isEqualTo("\"héllo 🚀\"");
    assertThat(Quoting.jsonEscaped("x\"y")).isEqualTo("x\\\"y");
  }

  @Test
  void goQuotesAsStrconvQuote() {
    assertThat(Quoting.go("a \"b\" \\ \u0007\u000b\u007f\u200b é")).isEqualTo("\"a \\\"b\\\" \\\\ \\a\\v\\x7f\\u200b é\"");
    assertThat(Quoting.go("\uD83D")).isEqualTo("\"\\ufffd\"");
    assertThat(Quoting.goEscaped("tab\there")).isEqualTo("tab\\there");
  }
}
