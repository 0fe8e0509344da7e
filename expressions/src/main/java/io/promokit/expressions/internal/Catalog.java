package io.promokit.expressions.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The built-in functions an expression can call: expr-lang's builtins and Kargo's functions, with their
 * argument counts and the {@link Functions} method each one compiles to.
 */
public final class Catalog {
  private Catalog() {}

  /** One built-in function. {@code maxArgs} is -1 for any number. */
  record Builtin(String name, int minArgs, int maxArgs, String method) {
    String expectation() {
      if (maxArgs == minArgs) {
        return minArgs + (minArgs == 1 ? " argument" : " arguments");
      }
      if (maxArgs < 0) {
        return "at least " + minArgs + (minArgs == 1 ? " argument" : " arguments");
      }
      return minArgs + " to " + maxArgs + " arguments";
    }
  }

  private static final Map<String, Builtin> BUILTINS = new LinkedHashMap<>();

  private static void add(String name, int min, int max) {
    add(name, min, max, name);
  }

  private static void add(String name, int min, int max, String method) {
    BUILTINS.put(name, new Builtin(name, min, max, method));
  }

  static {
    // expr-lang string functions
    add("len", 1, 1);
    add("upper", 1, 1);
    add("lower", 1, 1);
    add("trim", 1, 2);
    add("trimPrefix", 1, 2);
    add("trimSuffix", 1, 2);
    add("split", 2, 3);
    add("splitAfter", 2, 3);
    add("join", 1, 2);
    add("replace", 3, 4);
    add("repeat", 2, 2);
    add("indexOf", 2, 2);
    add("lastIndexOf", 2, 2);
    add("hasPrefix", 2, 2);
    add("hasSuffix", 2, 2);
    // maps, lists
    add("keys", 1, 1);
    add("values", 1, 1);
    add("first", 1, 1);
    add("last", 1, 1);
    add("get", 2, 2, "getOrNil");
    add("take", 2, 2);
    add("reverse", 1, 1);
    add("sort", 1, 2);
    add("concat", 1, -1);
    add("flatten", 1, 1);
    add("uniq", 1, 1);
    add("toPairs", 1, 1);
    add("fromPairs", 1, 1);
    // conversions, numbers
    add("int", 1, 1, "toInt");
    add("float", 1, 1, "toFloat");
    add("string", 1, 1, "toStr");
    add("type", 1, 1, "typeOf");
    add("abs", 1, 1);
    add("ceil", 1, 1);
    add("floor", 1, 1);
    add("round", 1, 1);
    add("max", 1, -1);
    add("min", 1, -1);
    add("mean", 1, -1);
    add("median", 1, -1);
    add("toJSON", 1, 1);
    add("fromJSON", 1, 1);
    add("toBase64", 1, 1);
    add("fromBase64", 1, 1);
    add("now", 0, 0);
    add("duration", 1, 1);
    // predicates
    add("all", 2, 2);
    add("any", 2, 2);
    add("none", 2, 2);
    add("one", 2, 2);
    add("filter", 2, 2);
    add("map", 2, 2, "mapEach");
    add("find", 2, 2);
    add("findIndex", 2, 2);
    add("findLast", 2, 2);
    add("findLastIndex", 2, 2);
    add("count", 1, 2);
    add("sum", 1, 2);
    add("groupBy", 2, 2);
    add("sortBy", 2, 3);
    add("reduce", 2, 3);
    // Kargo
    add("quote", 1, 1);
    add("unsafeQuote", 1, 1);
    add("asJSON", 1, 1);
    add("asYAML", 1, 1);
    add("semverParse", 1, 1);
    add("semverDiff", 2, 2);
    add("success", 0, 0);
    add("failure", 0, 0);
    add("always", 0, 0);
    add("status", 1, 1);
    add("secret", 1, 1);
    add("sharedSecret", 1, 1);
    add("configMap", 1, 1);
    add("sharedConfigMap", 1, 1);
    add("warehouse", 1, 1);
    add("commitFrom", 1, 2);
    add("imageFrom", 1, 2);
    add("chartFrom", 1, 3);
    add("freightMetadata", 1, 1);
    add("stageMetadata", 1, 1);
    // promokit
    add("shellQuote", 1, 1);
  }

  /** expr-lang and Kargo functions that are recognised but not available. */
  private static final Map<String, String> UNSUPPORTED = Map.ofEntries(
      Map.entry("date", "expr-lang's date() is not supported (dates with Go layouts)"),
      Map.entry("timezone", "expr-lang's timezone() is not supported"),
      Map.entry("bitand", "expr-lang's bitwise functions are not supported"),
      Map.entry("bitor", "expr-lang's bitwise functions are not supported"),
      Map.entry("bitxor", "expr-lang's bitwise functions are not supported"),
      Map.entry("bitnand", "expr-lang's bitwise functions are not supported"),
      Map.entry("bitnot", "expr-lang's bitwise functions are not supported"),
      Map.entry("bitshl", "expr-lang's bitwise functions are not supported"),
      Map.entry("bitshr", "expr-lang's bitwise functions are not supported"),
      Map.entry("bitushr", "expr-lang's bitwise functions are not supported"),
      Map.entry("freightStatus", "Kargo's freightStatus() is not supported"));

  /** Words of the expression language that cannot name a host function. */
  private static final Set<String> KEYWORDS = Set.of(
      "true", "false", "nil", "null", "in", "not", "and", "or", "matches", "contains", "startsWith",
      "endsWith", "let", "if", "else");

  static Builtin builtin(String name) {
    return BUILTINS.get(name);
  }

  static String unsupported(String name) {
    return UNSUPPORTED.get(name);
  }

  /** Whether a host function may not use this name (a built-in function or a word of the language). */
  public static boolean isReserved(String name) {
    return BUILTINS.containsKey(name) || UNSUPPORTED.containsKey(name) || KEYWORDS.contains(name);
  }

  /** The names of all built-in functions, sorted. */
  public static Set<String> builtinNames() {
    return Collections.unmodifiableSet(new TreeSet<>(BUILTINS.keySet()));
  }

  static Iterable<String> allNames() {
    return BUILTINS.keySet();
  }
}
