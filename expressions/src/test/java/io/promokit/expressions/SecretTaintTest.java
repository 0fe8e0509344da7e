package io.promokit.expressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 point 4: a value computed from a secret is a secret (it used to reach the record and --json in
 * clear), and the masking rules that keep short secrets from hiding unrelated text.
 */
class SecretTaintTest {

  private static final String TOKEN = "s3cr3t-token";

  private final ExpressionResolver resolver = ExpressionResolver.create();
  private final SecretMasker masker = new SecretMasker();

  private ExpressionEnvironment env(Map<String, Object> vars) {
    return ExpressionEnvironment.builder()
        .masker(masker)
        .secrets((name, scope) -> name.equals("db")
            ? Map.of("token", TOKEN, "user", "admin-user", "pin", "42", "cert", "-----BEGIN-----\nab\nline-two\n}")
            : Map.of())
        .variable("vars", vars)
        .build();
  }

  @Test
  void valuesComputedFromASecretAreMasked() {
    ExpressionEnvironment env = env(Map.of("branch", "main"));
    String base64 = Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
    Map<String, String> derived = Map.of(
        "${{ upper(secret('db').token) }}", "S3CR3T-TOKEN",
        "${{ secret('db').token[0:6] }}", "s3cr3t",
        "${{ replace(secret('db').token, '-', '_') }}", "s3cr3t_token",
        "${{ toBase64(secret('db').token) }}", base64,
        "${{ 'Bearer ' + secret('db').token + '!' }}", "Bearer s3cr3t-token!",
        "${{ quote(upper(secret('db').user)) }}", "ADMIN-USER");
    derived.forEach((template, value) -> {
      Object result = resolver.resolve(template, env);
      assertThat(result).as(template).isEqualTo(value);
      assertThat(masker.mask("record: " + result)).as(template).isEqualTo("record: ***");
    });
  }

  @Test
  void theElementsOfAListOrMapComputedFromASecretAreMasked() {
    ExpressionEnvironment env = env(Map.of());
    Object parts = resolver.evaluate("split(secret('db').token, '-')", env);
    assertThat(parts).isEqualTo(List.of("s3cr3t", "token"));
    assertThat(masker.mask("[s3cr3t, token]")).isEqualTo("[***, ***]");
    Object map = resolver.resolve("${% {'login': lower(secret('db').user) + '@corp'} %}", env);
    assertThat(map).isEqualTo(Map.of("login", "admin-user@corp"));
    assertThat(masker.mask("{\"login\":\"admin-user@corp\"}")).isEqualTo("{\"login\":\"***\"}");
  }

  @Test
  void aValueComputedFromAVariableThatHoldsASecretIsMasked() {
    // Kargo's vars are often read from secrets once and used later: no secret() in the expression itself.
    ExpressionEnvironment first = env(Map.of());
    Object token = resolver.resolve("${{ secret('db').token }}", first);
    ExpressionEnvironment later = env(Map.of("token", token, "branch", "main"));

    assertThat(resolver.resolve("${{ upper(vars.token) }}", later)).isEqualTo("S3CR3T-TOKEN");
    assertThat(masker.mask("S3CR3T-TOKEN")).isEqualTo("***");

    // An expression that reads no secret registers nothing.
    assertThat(resolver.resolve("${{ upper(vars.branch) + '-build' }}", later)).isEqualTo("MAIN-build");
    assertThat(masker.mask("MAIN-build")).isEqualTo("MAIN-build");
    // $env may read anything, so it counts as reading the secret.
    assertThat(resolver.resolve("${{ lower($env['vars'].token) + '-x' }}", later)).isEqualTo("s3cr3t-token-x");
    assertThat(masker.mask("s3cr3t-token-x")).isEqualTo("***");
  }

  @Test
  void aFailingExpressionThatReadASecretHidesTheValuesItsMessageQuotes() {
    ExpressionEnvironment env = env(Map.of());
    assertThatThrownBy(() -> resolver.resolve("${{ int(upper(secret('db').token)) }}", env))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("int() cannot convert \"***\" to an int (in expression \"int(upper(secret('db').token))\" at "
            + "column 1 of \"${{ int(upper(secret('db').token)) }}\")");
    assertThatThrownBy(() -> resolver.resolve("${{ secret('db').token[0:4] + vars.n }}", env(Map.of("n", 1))))
        .hasMessageStartingWith("invalid operation: string \"***\" + int 1 (in expression");
  }

  @Test
  void aSecretTooShortToMaskIsRefusedWithoutShowingIt() {
    assertThat(SecretMasker.minimumLength()).isEqualTo(4);
    assertThat(SecretMasker.canMask("abcd")).isTrue();
    assertThat(SecretMasker.canMask(" ab ")).isFalse();
    assertThat(SecretMasker.canMask(null)).isFalse();
    assertThatThrownBy(() -> masker.register("xy"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a secret value of 2 characters is too short to be masked safely: masking it would hide the "
            + "same letters in unrelated output; secrets need at least 4 characters (the value is not shown)");
    assertThat(masker.registerIfMaskable("xy")).isFalse();
    assertThat(masker.isEmpty()).isTrue();
    // Before, "xy" masked every xy: "proxy" became "pro***".
    assertThat(masker.mask("proxy xylophone")).isEqualTo("proxy xylophone");
  }

  @Test
  void aShortValueInASecretIsNotMaskedAndDoesNotFailTheExpression() {
    ExpressionEnvironment env = env(Map.of());
    assertThat(resolver.resolve("${{ secret('db').pin }}", env)).isEqualTo(42L);
    assertThat(masker.mask("port 42, 4242")).isEqualTo("port 42, 4242");
    assertThat(masker.mask("admin-user")).isEqualTo("***");
  }

  @Test
  void shortLinesOfAMultiLineSecretAreMaskedWhereTheyAreAWholeLine() {
    ExpressionEnvironment env = env(Map.of());
    resolver.resolve("${{ secret('db').cert }}", env);
    // Streamed one line at a time, as container output is.
    assertThat(List.of("-----BEGIN-----", "ab", "  ab", "line-two", "}").stream().map(masker::mask))
        .containsExactly("***", "***", "  ***", "***", "}");
    // Inside other text, the short line is not a secret: "ab" stays in "table" and "ab c".
    assertThat(masker.mask("table\nab c\nab\n")).isEqualTo("table\nab c\n***\n");
    assertThat(masker.containsSecret("x\nab\ny")).isTrue();
    assertThat(masker.containsSecret("about")).isFalse();
  }
}
