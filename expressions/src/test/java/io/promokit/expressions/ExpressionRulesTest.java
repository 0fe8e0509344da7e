package io.promokit.expressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One test per rule of EXPRESSIONS.md, named after the rule. */
class ExpressionRulesTest {

  private final ExpressionResolver resolver = ExpressionResolver.create();

  private static ExpressionEnvironment env(Object... pairs) {
    ExpressionEnvironment.Builder b = ExpressionEnvironment.builder();
    for (int i = 0; i < pairs.length; i += 2) {
      b.variable((String) pairs[i], pairs[i + 1]);
    }
    return b.build();
  }

  private static Map<String, Object> map(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  private Object resolve(String template) {
    return resolver.resolve(template, ExpressionEnvironment.empty());
  }

  @Nested
  class WhereExpressionsAreEvaluated {

    @Test
    void onlyStringValuesAreEvaluatedRecursivelyThroughMapsAndLists() {
      Object tree = map("a", "${{ 1 + 1 }}", "b", List.of("${{ 'x' }}", map("c", "${{ true }}")));
      assertThat(resolver.resolveTree(tree, ExpressionEnvironment.empty(), "config"))
          .isEqualTo(map("a", 2L, "b", List.of("x", map("c", true))));
    }

    @Test
    void keysAreNeverEvaluated() {
      Object tree = map("${{ 'key' }}", "${{ 'value' }}");
      assertThat(resolver.resolveTree(tree, ExpressionEnvironment.empty(), "config"))
          .isEqualTo(map("${{ 'key' }}", "value"));
    }

    @Test
    void nonStringScalarsPassThroughUnchanged() {
      Integer five = 5;
      BigInteger big = new BigInteger("123456789012345678901234567890");
      Map<String, Object> tree = map("int", five, "big", big, "bool", true, "none", null, "double", 1.5);
      @SuppressWarnings("unchecked")
      Map<String, Object> out = (Map<String, Object>) resolver.resolveTree(tree, ExpressionEnvironment.empty(), "c");
      assertThat(out.get("int")).isSameAs(five);
      assertThat(out.get("big")).isSameAs(big);
      assertThat(out).containsEntry("bool", true).containsEntry("none", null).containsEntry("double", 1.5);
    }

    @Test
    void theInputTreeIsNotModified() {
      List<Object> list = new ArrayList<>(List.of("${{ 1 }}"));
      Map<String, Object> tree = new HashMap<>(map("l", list, "s", "${{ 2 }}"));
      Object out = resolver.resolveTree(tree, ExpressionEnvironment.empty(), "config");
      assertThat(out).isEqualTo(map("l", List.of(1L), "s", 2L));
      assertThat(tree).isEqualTo(map("l", List.of("${{ 1 }}"), "s", "${{ 2 }}"));
      assertThat(list).containsExactly("${{ 1 }}");
    }

    @Test
    void stringsWithoutDelimitersAreReturnedUnchanged() {
      String s = "42";
      assertThat(resolve(s)).isSameAs(s);
      assertThat(resolve("true")).isEqualTo("true");
      assertThat(resolve("\"quoted\"")).isEqualTo("\"quoted\"");
      assertThat(resolve("${ not an expression }")).isEqualTo("${ not an expression }");
      assertThat(resolve("{\"a\": 1}")).isEqualTo("{\"a\": 1}");
    }

    @Test
    void severalExpressionsAndLiteralTextAreEvaluatedInOrderAndConcatenated() {
      assertThat(resolve("a-${{ 1 }}-${% 'b' %}-${{ 2 + 1 }}!")).isEqualTo("a-1-b-3!");
    }

    @Test
    void theEarliestOpeningDelimiterWins() {
      assertThat(resolve("${% '}}' %}")).isEqualTo("}}");
      assertThat(resolve("${{ '%}' }}")).isEqualTo("%}");
    }

    @Test
    void anExpressionEndsAtTheFirstMatchingCloser() {
      assertThatThrownBy(() -> resolve("${{ {\"a\": {\"b\": 1}} }}"))
          .isInstanceOf(ExpressionException.class).hasMessageStartingWith("syntax error");
      assertThat(resolve("${% {\"a\": {\"b\": 1}} %}")).isEqualTo(map("a", map("b", 1L)));
    }

    @Test
    void thereIsNoNestingAndNoEscaping() {
      assertThat(resolve("${{ '${{ 1 }' }}")).isEqualTo("${{ 1 }");
      assertThat(resolve("\\${{ 1 }}")).isEqualTo("\\1");
    }

    @Test
    void anUnclosedExpressionIsAnErrorWithItsColumn() {
      ExpressionException e = catchThrowableOfType(ExpressionException.class, () -> resolve("abc ${{ 1 + 1 "));
      assertThat(e.column()).isEqualTo(5);
      assertThat(e.getMessage()).isEqualTo("unclosed expression: expected \"}}\" but reached the end of the "
          + "template (in expression \"1 + 1\" at column 5 of \"abc ${{ 1 + 1 \")");
    }

    @Test
    void stringResultsAreInsertedAsIsAndOthersAsJsonWithSortedKeys() {
      ExpressionEnvironment env = env("v", map("s", "text \"q\"", "m", map("b", 2, "a", List.of(1, "x")), "n", null));
      assertThat(resolver.resolve("[${{ v.s }}] [${{ v.m }}] [${{ v.n }}] [${{ true }}] [${{ 42 }}]", env))
          .isEqualTo("[text \"q\"] [{\"a\":[1,\"x\"],\"b\":2}] [null] [true] [42]");
    }

    @Test
    void integralNumbersPrintWithoutADecimalPoint() {
      assertThat(resolve("x${{ 6 / 2 }}")).isEqualTo("x3");
      assertThat(resolve("x${{ 2.0 * 1.25 }}")).isEqualTo("x2.5");
      assertThat(resolve("x${{ [1.0, 2.50] }}")).isEqualTo("x[1,2.5]");
    }
  }

  @Nested
  class CoercionOfTheFinalString {

    @Test
    void oneTrailingNewlineIsRemovedAndPutBackWhenTheResultStaysAString() {
      assertThat(resolve("${{ 42 }}\n")).isEqualTo(42L);
      assertThat(resolve("${{ 'text' }}\n")).isEqualTo("text\n");
      assertThat(resolve("\"${{ 'q' }}\"\n")).isEqualTo("q\n");
    }

    @Test
    void outerDoubleQuotesAreStrippedWithoutUnescapingAndForceAString() {
      assertThat(resolve("\"${{ 42 }}\"")).isEqualTo("42");
      assertThat(resolve("\"${{ 'a' }}\\\"b\"")).isEqualTo("a\\\"b");
      assertThat(resolve("${{ '\"' }}")).isEqualTo("\"");
    }

    @Test
    void numbersAreParsedAndIntegersStayIntegers() {
      assertThat(resolve("${{ '42' }}")).isEqualTo(42L);
      assertThat(resolve("${{ '-7' }}")).isEqualTo(-7L);
      assertThat(resolve("${{ '1.10' }}")).isEqualTo(1.1);
      assertThat(resolve("${{ 40 + 2 }}")).isInstanceOf(Long.class);
    }

    @Test
    void wholeNumbersWrittenWithAFractionOrExponentBecomeIntegers() {
      assertThat(resolve("${{ '1.0' }}")).isEqualTo(1L);
      assertThat(resolve("${{ '1e3' }}")).isEqualTo(1000L);
      assertThat(resolve("${{ '-0.0' }}")).isEqualTo(0L);
      assertThat(resolve("${{ '2.50' }}")).isEqualTo(2.5);
      assertThat(resolve("${{ '123456789012345678901234.0' }}"))
          .isEqualTo(new BigInteger("123456789012345678901234"));
      assertThat(resolve("${{ '12345678901234567890123.5' }}")).isEqualTo(1.2345678901234568e22);
      assertThat(resolve("${{ '1e21' }}")).isEqualTo(1e21);
    }

    @Test
    void wholeNumbersInsideJsonBecomeIntegers() {
      assertThat(resolve("${{ '{\"a\": 1.0, \"b\": [2e1, 0.5]}' }}"))
          .isEqualTo(map("a", 1L, "b", List.of(20L, 0.5)));
    }

    @Test
    void integersBeyondTwoToThe53KeepEveryDigit() {
      assertThat(resolver.resolve("${{ vars.n }}", env("vars", map("n", "123456789012345678901"))))
          .isEqualTo(new BigInteger("123456789012345678901"));
      assertThat(resolve("${{ '9007199254740993' }}")).isEqualTo(9007199254740993L);
    }

    @Test
    void numbersAreTriedBeforeBooleans() {
      assertThat(resolve("${{ '1' }}")).isEqualTo(1L);
      assertThat(resolve("${{ '0' }}")).isEqualTo(0L);
    }

    @Test
    void trueAndFalseInThreeCasingsAreBooleans() {
      for (String t : List.of("true", "True", "TRUE")) {
        assertThat(resolve("${{ '" + t + "' }}")).isEqualTo(true);
      }
      for (String f : List.of("false", "False", "FALSE")) {
        assertThat(resolve("${{ '" + f + "' }}")).isEqualTo(false);
      }
      assertThat(resolve("${{ 'tRUE' }}")).isEqualTo("tRUE");
      assertThat(resolve("${{ 'yes' }}")).isEqualTo("yes");
    }

    @Test
    void jsonIsTriedLast() {
      assertThat(resolve("${{ '{\"a\": [1, null]}' }}")).isEqualTo(map("a", java.util.Arrays.asList(1L, null)));
      assertThat(resolve("${{ '[1, 2]' }}")).isEqualTo(List.of(1L, 2L));
      assertThat(resolve("${{ 'null' }}")).isNull();
      assertThat(resolve("${{ ' \"padded\" ' }}")).isEqualTo("padded");
    }

    @Test
    void otherwiseTheStringIsReturned() {
      assertThat(resolve("${{ 'plain text' }}")).isEqualTo("plain text");
      assertThat(resolve("${{ '{broken' }}")).isEqualTo("{broken");
      assertThat(resolve("${{ '' }}")).isEqualTo("");
    }

    @Test
    void theDocumentedExamplesHold() {
      assertThat(resolve("${{ 40 + 2 }}")).isEqualTo(42L);
      assertThat(resolve("${{ quote(40 + 2) }}")).isEqualTo("42");
      assertThat(resolve("v${{ 1 }}")).isEqualTo("v1");
      assertThat(resolve("${{ 1 }}${{ 2 }}")).isEqualTo(12L);
      assertThat(resolve("${% {\"a\": 1} %}")).isEqualTo(map("a", 1L));
    }

    @Test
    void aSingleExpressionIsCoercedFromItsStringForm() {
      assertThat(resolve("${{ '42' }}")).isEqualTo(42L);
      assertThat(resolve("${{ 7 / 2 }}")).isEqualTo(3.5);
      assertThat(resolve("${{ 6 / 2 }}")).isEqualTo(3L);
      assertThat(resolve("${{ [1, 'a'] }}")).isEqualTo(List.of(1L, "a"));
      assertThat(resolve("${{ semverParse('1.2.3') }}")).isEqualTo("1.2.3");
    }
  }

  @Nested
  class Language {

    private final ExpressionEnvironment env = env(
        "vars", map("a", map("b-c", "x", "list", List.of(1, 2, 3)), "none", null),
        "outputs", map("build", map("tag", "v1")));

    private Object eval(String expression) {
      return resolver.evaluate(expression, env);
    }

    @Test
    void memberAccessIndexingOptionalChainingAndCoalescing() {
      assertThat(eval("outputs.build.tag")).isEqualTo("v1");
      assertThat(eval("vars.a['b-c']")).isEqualTo("x");
      assertThat(eval("vars.a.list[0] + vars.a.list[-1]")).isEqualTo(4L);
      assertThat(eval("vars.none?.x.y")).isNull();
      assertThat(eval("vars.none ?? 'default'")).isEqualTo("default");
    }

    @Test
    void literalsOfEveryKind() {
      assertThat(eval("['s', \"d\", 1, 1.5, true, false, nil, null, [1], {'k': 'v'}]")).isEqualTo(
          java.util.Arrays.asList("s", "d", 1L, 1.5, true, false, null, null, List.of(1L), map("k", "v")));
      assertThat(eval("[1, 2]")).isInstanceOf(List.class);
    }

    @Test
    void arithmeticComparisonLogicAndTernary() {
      assertThat(eval("1 + 2 * 3 - 8 / 4 + 7 % 4 + 2 ** 2")).isEqualTo(12.0);
      assertThat(eval("'a' + 'b'")).isEqualTo("ab");
      assertThat(eval("1 == 1 && 1 != 2 && 1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3")).isEqualTo(true);
      assertThat(eval("true and not false or !true || false")).isEqualTo(true);
      assertThat(eval("vars.a.list[0] > 0 ? 'pos' : 'neg'")).isEqualTo("pos");
    }

    @Test
    void divisionIsFloatDivisionAndIntegersStayExact() {
      assertThat(eval("7 / 2")).isEqualTo(3.5);
      assertThat(eval("7 % 2")).isEqualTo(1L);
      assertThat(eval("9223372036854775807 * 2")).isEqualTo(new BigInteger("18446744073709551614"));
    }

    @Test
    void exprLangOperators() {
      assertThat(eval("2 in vars.a.list && 5 not in vars.a.list")).isEqualTo(true);
      assertThat(eval("'abc' contains 'b' && 'abc' startsWith 'a' && 'abc' endsWith 'c'")).isEqualTo(true);
      assertThat(eval("'v1.2.3' matches '^v\\\\d+'")).isEqualTo(true);
    }

    @Test
    void predicatesTakeBothClosureForms() {
      assertThat(eval("filter(vars.a.list, # > 1)")).isEqualTo(List.of(2L, 3L));
      assertThat(eval("filter([{'a': 1}, {'a': 2}], {.a == 1})")).isEqualTo(List.of(map("a", 1L)));
      assertThat(eval("map([{'a': 1}], #.a)")).isEqualTo(List.of(1L));
      assertThat(eval("[all([1], # > 0), any([1], # > 1), none([1], # > 1), one([1, 2], # > 1), "
          + "count([1, 2], # > 0), find([1, 2], # > 1)]")).isEqualTo(List.of(true, false, true, true, 2L, 2L));
    }

    @Test
    void methodsCanBeCalledOnValuesTheEngineReturns() {
      assertThat(eval("semverParse('v1.2.3').IncMinor().String()")).isEqualTo("1.3.0");
      assertThat(eval("duration('1m').Seconds()")).isEqualTo(60.0);
    }

    @Test
    void missingMapKeysAreNull() {
      assertThat(eval("vars.nope")).isNull();
      assertThat(eval("outputs['nope']")).isNull();
    }

    @Test
    void readingAMemberOfNullIsAnErrorNamingTheNullPart() {
      assertThatThrownBy(() -> resolver.resolve("${{ vars.none.y }}", env))
          .isInstanceOf(ExpressionException.class)
          .hasMessage("vars.none is null, cannot read \"y\" (in expression \"vars.none.y\" at column 1 of "
              + "\"${{ vars.none.y }}\")");
    }

    @Test
    void aMemberOfTheNilLiteralIsASyntaxErrorAsInExprLang() {
      assertThatThrownBy(() -> resolver.resolve("${{ nil.x }}", env))
          .isInstanceOf(ExpressionException.class)
          .hasMessage("syntax error: unexpected \".\" (in expression \"nil.x\" at column 8 of \"${{ nil.x }}\")");
      assertThat(eval("vars.none?.x")).isNull();
    }

    @Test
    void unsupportedSyntaxSaysItIsUnsupported() {
      assertThatThrownBy(() -> eval("let x = 1; x")).hasMessageContaining("are not supported");
      assertThatThrownBy(() -> eval("1; 2")).hasMessageContaining("are not supported");
      assertThatThrownBy(() -> eval("date('2024-01-01')")).hasMessageContaining("is not supported");
    }
  }

  @Nested
  class Functions {

    @Test
    void quoteGivesAStringThatStaysAString() {
      assertThat(resolve("${{ quote(true) }}")).isEqualTo("true");
      assertThat(resolve("${{ quote('a\"b') }}")).isEqualTo("a\\\"b");
      assertThat(resolver.evaluate("quote('a\"b\\\\c\\n')", ExpressionEnvironment.empty()))
          .isEqualTo("\"a\\\"b\\\\c\\n\"");
    }

    @Test
    void unsafeQuoteWrapsTheJsonInQuotes() {
      assertThat(resolver.evaluate("unsafeQuote({'a': 1})", ExpressionEnvironment.empty()))
          .isEqualTo("\"{\"a\":1}\"");
      assertThat(resolve("${{ unsafeQuote('s') }}")).isEqualTo("\"s\"");
    }

    @Test
    void asJsonIsPrettyWithSortedKeysAndATrailingNewline() {
      assertThat(resolve("${% asJSON({'b': [1], 'a': {}}) %}"))
          .isEqualTo("{\n  \"a\": {},\n  \"b\": [\n    1\n  ]\n}\n");
    }

    @Test
    void asYamlGivesYamlAsAString() {
      assertThat(resolve("${{ asYAML({'b': [1, 'x'], 'a': 'true'}) }}")).isEqualTo("a: \"true\"\nb:\n- 1\n- x\n");
    }

    @Test
    void semverParseIsLenientAndRejectsInvalidVersions() {
      ExpressionEnvironment e = ExpressionEnvironment.empty();
      assertThat(resolver.evaluate("semverParse('v1.2')", e)).isEqualTo(SemanticVersion.parse("1.2.0"));
      assertThatThrownBy(() -> resolver.evaluate("semverParse('nope')", e))
          .hasMessage("semverParse(): \"nope\" is not a valid semantic version (in expression "
              + "\"semverParse('nope')\" at column 1)");
    }

    @Test
    void semverDiffNamesTheLargestDifference() {
      assertThat(resolve("${{ [semverDiff('1.0.0', '2.0.0'), semverDiff('1.0.0-a', '1.0.0-b'), "
          + "semverDiff('1', 'x')] }}")).isEqualTo(List.of("Major", "None", "Incomparable"));
    }

    @Test
    void statusFunctionsReadTheStatusView() {
      StepStatusView view = StepStatusView.of(List.of(
          new StepStatusEntry("a", "Succeeded", false),
          new StepStatusEntry("t::x", "Errored", false)), "t::y");
      ExpressionEnvironment e = ExpressionEnvironment.builder().statusView(view).build();
      assertThat(resolver.resolve("${{ [success(), failure(), always(), status('x'), status('a')] }}", e))
          .isEqualTo(List.of(false, true, true, "Errored", ""));
    }

    @Test
    void statusFunctionsFailClearlyWhereThereIsNoStatusView() {
      assertThatThrownBy(() -> resolve("${{ failure() }}")).hasMessageStartingWith(
          "failure() is not available here: the status functions success(), failure(), always() and status() "
              + "work in step conditions (if) and config, not in vars");
    }

    @Test
    void secretsAndConfigMapsComeFromTheHostSources() {
      ExpressionEnvironment e = ExpressionEnvironment.builder()
          .secrets((name, scope) -> Map.of("v", name + "/" + scope))
          .configMaps((name, scope) -> name.equals("known") ? Map.of("v", "cm/" + scope) : Map.of())
          .build();
      assertThat(resolver.resolve("${{ [secret('s').v, sharedSecret('s').v, configMap('known').v, "
          + "sharedConfigMap('known').v, configMap('unknown')] }}", e))
          .isEqualTo(List.of("s/PROJECT", "s/SHARED", "cm/PROJECT", "cm/SHARED", Map.of()));
    }

    @Test
    void freightFunctionsAskTheHostLookupOrFailNamingTheFunction() {
      ExpressionEnvironment with = ExpressionEnvironment.builder().freight(new ExpressionCasesTest.FakeFreight())
          .build();
      assertThat(resolver.resolve("${{ imageFrom('repo').Tag }}", with)).isEqualTo(1.25);
      assertThatThrownBy(() -> resolve("${{ warehouse('w') }}")).hasMessageStartingWith(
          "warehouse() is not available: this host has no freight lookup");
    }

    @Test
    void shellQuoteQuotesForPosixShells() {
      assertThat(resolve("${{ shellQuote(\"it's $HOME\") }}")).isEqualTo("'it'\\''s $HOME'");
    }

    @Test
    void wrongArgumentCountOrTypeNamesTheFunctionAndWhatItExpected() {
      assertThatThrownBy(() -> resolve("${{ split('a') }}"))
          .hasMessage("syntax error: split() expects 2 to 3 arguments, but got 1 (in expression \"split('a')\" "
              + "at column 5 of \"${{ split('a') }}\")");
      assertThatThrownBy(() -> resolve("${{ repeat('a', 'b') }}"))
          .hasMessage("type error: cannot use string as argument (type int) to call repeat() (in expression "
              + "\"repeat('a', 'b')\" at column 17 of \"${{ repeat('a', 'b') }}\")");
      assertThatThrownBy(() -> resolver.resolve("${{ repeat('a', vars.b) }}", env("vars", map("b", "b"))))
          .hasMessage("repeat() expects an int as its second argument, but got string \"b\" (in expression "
              + "\"repeat('a', vars.b)\" at column 1 of \"${{ repeat('a', vars.b) }}\")");
    }

    @Test
    void aTemplateVariableNamedLikeABuiltInFunctionIsAnErrorAsInKargo() {
      for (String name : List.of("quote", "asYAML", "asJSON", "upper")) {
        ExpressionEnvironment e = env(name, "x", "vars", map());
        assertThatThrownBy(() -> resolver.resolve("${{ 1 }}", e)).as(name)
            .isInstanceOf(ExpressionException.class)
            .hasMessage("the variable \"" + name + "\" cannot be used in a template: the name is reserved for the "
                + "built-in function " + name + "() (in \"${{ 1 }}\")");
        assertThatThrownBy(() -> resolver.resolveTree(map("a", "${{ 1 }}"), e, "config"))
            .isInstanceOf(ExpressionException.class)
            .hasMessageStartingWith("config: the variable \"" + name + "\" cannot be used in a template");
      }
      // A bare expression may see such names: json-parse offers a document's keys (type, keys...) as variables.
      assertThat(resolver.evaluate("type + '/' + keys", env("type", "a", "keys", "b"))).isEqualTo("a/b");
    }

    @Test
    void statusOfAnEmptyAliasIsAnErrorAsInKargo() {
      ExpressionEnvironment e = ExpressionEnvironment.builder()
          .statusView(StepStatusView.of(List.of(new StepStatusEntry("build", "Succeeded", false)), "deploy"))
          .build();
      assertThat(resolver.resolve("${{ status('build') }}", e)).isEqualTo("Succeeded");
      assertThatThrownBy(() -> resolver.resolve("${{ status('') }}", e))
          .isInstanceOf(ExpressionException.class)
          .hasMessageStartingWith("status(): the step alias must not be empty");
    }

    @Test
    void hostFunctionsAreRegisteredThroughTheBuilder() {
      ExpressionResolver r = ExpressionResolver.builder()
          .function("team", args -> "platform-" + args.get(0))
          .build();
      assertThat(r.resolve("${{ team(42) }}", ExpressionEnvironment.empty())).isEqualTo("platform-42");
    }
  }

  @Nested
  class Secrets {

    @Test
    void everySecretValueIsRegisteredAndMaskedInsideLargerStrings() {
      SecretMasker masker = new SecretMasker();
      ExpressionEnvironment e = ExpressionEnvironment.builder().masker(masker)
          .secrets((name, scope) -> Map.of("token", "tok-" + scope.name().toLowerCase()))
          .build();
      Object v = resolver.resolve("Bearer ${{ secret('x').token }} / ${{ sharedSecret('x').token }}", e);
      assertThat(v).isEqualTo("Bearer tok-project / tok-shared");
      assertThat(masker.mask(String.valueOf(v))).isEqualTo("Bearer *** / ***");
    }

    @Test
    void secretValuesAreMaskedInErrorMessages() {
      ExpressionEnvironment e = ExpressionEnvironment.builder()
          .secrets((name, scope) -> Map.of("token", "hunter2")).build();
      assertThatThrownBy(() -> resolver.resolve("${{ int(secret('db').token) }}", e))
          .hasMessage("int() cannot convert \"***\" to an int (in expression \"int(secret('db').token)\" at "
              + "column 1 of \"${{ int(secret('db').token) }}\")");
    }

    @Test
    void secretsHoldingQuotesBackslashesOrControlCharactersAreMaskedInErrorMessages() {
      ExpressionEnvironment e = ExpressionEnvironment.builder()
          .secrets((name, scope) -> Map.of("token", "pa\"ss\\w\n\u0001")).build();
      assertThatThrownBy(() -> resolver.resolve("${{ int(secret('db').token) }}", e))
          .hasMessage("int() cannot convert \"***\" to an int (in expression \"int(secret('db').token)\" at "
              + "column 1 of \"${{ int(secret('db').token) }}\")");
    }

    @Test
    void aSecretIsMaskedInItsJsonAndGoEscapedForms() {
      SecretMasker masker = new SecretMasker();
      masker.register("a\"b\\c\td\u0007");

      assertThat(masker.mask("raw a\"b\\c\td\u0007 end")).isEqualTo("raw *** end");
      assertThat(masker.mask("{\"k\":\"a\\\"b\\\\c\\td\\u0007\"}")).isEqualTo("{\"k\":\"***\"}");
      assertThat(masker.mask("go \"a\\\"b\\\\c\\td\\a\"")).isEqualTo("go \"***\"");
    }
  }

  @Nested
  class Safety {

    @Test
    void templatesCannotReachTheJvm() {
      ExpressionEnvironment e = env("vars", map("s", "x"));
      for (String attempt : List.of("vars.s.getClass()", "''.class", "new('java.lang.Object')",
          "java.lang.Runtime.getRuntime()", "vars.s = 1")) {
        assertThatThrownBy(() -> resolver.evaluate(attempt, e)).as(attempt).isInstanceOf(ExpressionException.class);
      }
    }

    @Test
    void evaluationIsBoundedInTimeAndSize() {
      ExpressionResolver limited = ExpressionResolver.builder().timeout(Duration.ofMillis(50)).maxSize(1000).build();
      ExpressionEnvironment e = env("many", java.util.Collections.nCopies(1000, 1));
      assertThatThrownBy(() -> limited.evaluate("count(many, any(many, any(many, # < 0)))", e))
          .hasMessageStartingWith("the expression ran longer than the limit of 50 ms");
      assertThatThrownBy(() -> limited.evaluate("repeat('ab', 501)", e))
          .hasMessageStartingWith("the result would have 1002 characters or elements, more than the limit of 1000");
    }
  }
}
