package io.promokit.expressions;

import io.promokit.expressions.internal.DefaultExpressionResolver;
import io.promokit.expressions.internal.ResolverSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Evaluates Kargo-compatible {@code ${{ ... }}} templates, whole config trees, and bare expressions.
 *
 * <p>The language is expr-lang as Kargo uses it (see {@code spec/EXPRESSIONS.md}); it is translated to
 * Apache Commons JEXL and run in a sandbox. A resolver is immutable and thread-safe: build one and share
 * it. Parsed templates and compiled expressions are cached per resolver (bounded), so there is no global
 * state and two resolvers with different functions can live side by side.
 *
 * <pre>{@code
 * ExpressionResolver resolver = ExpressionResolver.builder()
 *     .function("team", args -> "platform")
 *     .build();
 * Object value = resolver.resolve("${{ vars.a + 1 }}",
 *     ExpressionEnvironment.builder().variable("vars", Map.of("a", 41)).build());   // 42
 * }</pre>
 */
public interface ExpressionResolver {

  /** The default longest expression, in characters (see {@link Builder#maxExpressionLength}). */
  int DEFAULT_MAX_EXPRESSION_LENGTH = 16 * 1024;

  /** The default deepest nesting of an expression (see {@link Builder#maxNestingDepth}). */
  int DEFAULT_MAX_NESTING_DEPTH = 50;

  /** Default number of cached templates, and of cached expressions, per resolver. */
  int DEFAULT_CACHE_SIZE = 8192;

  /** The largest nesting limit a resolver accepts. */
  int MAX_NESTING_DEPTH = 1000;

  /** A resolver with the default limits and no host functions. */
  static ExpressionResolver create() {
    return builder().build();
  }

  /** Starts a builder for a resolver with host functions or other limits. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Evaluates a template string: scans it for {@code ${{ }}} / {@code ${% %}} expressions, evaluates
   * them in order, concatenates them with the literal text, and coerces the result (numbers, booleans,
   * JSON, quoted strings) as EXPRESSIONS.md section 2 says. A string without delimiters is returned
   * unchanged. A template that is one expression and nothing else is coerced from its value's string form:
   * a map or list value goes through its JSON text and comes back as a map or list of plain values (numbers
   * as Long, BigInteger or Double).
   *
   * @return a {@link String}, {@link Long}, {@link java.math.BigInteger}, {@link Double}, {@link Boolean},
   *     {@link java.util.Map}, {@link java.util.List} or {@code null}
   * @throws ExpressionException when the template is malformed or an expression fails
   */
  Object resolve(String template, ExpressionEnvironment environment);

  /**
   * Evaluates every string value of a config tree (maps and lists, recursively) as a template; keys and
   * non-string values are kept as they are. The input is not modified.
   *
   * @param path the name of the tree's root, used in error messages (for example {@code "config"}), so
   *     that an error says {@code config.apps[0].name}
   * @throws ExpressionException carrying the config path of the failing value
   */
  Object resolveTree(Object tree, ExpressionEnvironment environment, String path);

  /**
   * Evaluates one bare expression (no delimiters, no coercion), as used by output {@code transform}s and
   * the {@code fromExpression} fields of built-in steps. The result is a plain value (numbers as Long,
   * BigInteger or Double, lists as List), or a {@link SemanticVersion}, {@link java.time.OffsetDateTime} or
   * {@link java.time.Duration} when the expression returns one of those.
   */
  Object evaluate(String expression, ExpressionEnvironment environment);

  /**
   * Parses a template without evaluating it, for offline validation.
   *
   * @throws ExpressionException when the template or one of its expressions does not parse
   */
  TemplateInfo inspect(String template);

  /** Parses a bare expression without evaluating it. */
  ParsedExpression inspectExpression(String expression);

  /** Builds {@link ExpressionResolver}s. Each setter validates its argument. */
  final class Builder {
    private final java.util.Map<String, ExpressionFunction> functions = new java.util.LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(1);
    private long maxSize = 16L * 1024 * 1024;
    private int cacheSize = DEFAULT_CACHE_SIZE;
    private int maxExpressionLength = DEFAULT_MAX_EXPRESSION_LENGTH;
    private int maxNestingDepth = DEFAULT_MAX_NESTING_DEPTH;

    Builder() {}

    /**
     * Registers a host function callable from expressions. Names must be identifiers and must not shadow
     * a built-in function.
     */
    public Builder function(String name, ExpressionFunction function) {
      Objects.requireNonNull(name, "function name must not be null");
      Objects.requireNonNull(function, "function must not be null");
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("function name must be an identifier, but was \"" + name + "\"");
      }
      if (io.promokit.expressions.internal.Catalog.isReserved(name)) {
        throw new IllegalArgumentException(
            "function \"" + name + "\" is a built-in function or a word of the language and cannot be replaced");
      }
      if (functions.putIfAbsent(name, function) != null) {
        throw new IllegalArgumentException("function \"" + name + "\" is already registered");
      }
      return this;
    }

    /** Longest time one expression may run (default 1 s). */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout must not be null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Largest string (in chars) or collection (in elements) an expression may build (default 16 MiB). */
    public Builder maxSize(long maxSize) {
      if (maxSize <= 0) {
        throw new IllegalArgumentException("maxSize must be positive, but was " + maxSize);
      }
      this.maxSize = maxSize;
      return this;
    }

    /**
     * How many parsed templates and how many compiled expressions are kept (default {@value
     * #DEFAULT_CACHE_SIZE} of each); each cache also holds at most 64 characters of text per entry on average.
     * Frequently used entries are kept over rarely used ones; 0 disables caching.
     */
    public Builder cacheSize(int cacheSize) {
      if (cacheSize < 0) {
        throw new IllegalArgumentException("cacheSize must not be negative, but was " + cacheSize);
      }
      this.cacheSize = cacheSize;
      return this;
    }

    /**
     * Longest expression (the text between one pair of delimiters), in characters; a longer one fails before
     * it is compiled (default {@value #DEFAULT_MAX_EXPRESSION_LENGTH}).
     */
    public Builder maxExpressionLength(int maxExpressionLength) {
      if (maxExpressionLength <= 0) {
        throw new IllegalArgumentException("maxExpressionLength must be positive, but was " + maxExpressionLength);
      }
      this.maxExpressionLength = maxExpressionLength;
      return this;
    }

    /**
     * Deepest nesting of an expression (parentheses, calls, operands, member accesses, predicates), checked
     * before it is compiled (default {@value #DEFAULT_MAX_NESTING_DEPTH}, at most
     * {@value #MAX_NESTING_DEPTH}). The default fits a thread stack of 512 KiB; a deeper limit needs
     * threads with larger stacks, and an expression that still exhausts the stack fails with an error.
     */
    public Builder maxNestingDepth(int maxNestingDepth) {
      if (maxNestingDepth <= 0 || maxNestingDepth > MAX_NESTING_DEPTH) {
        throw new IllegalArgumentException("maxNestingDepth must be between 1 and " + MAX_NESTING_DEPTH
            + ", but was " + maxNestingDepth);
      }
      this.maxNestingDepth = maxNestingDepth;
      return this;
    }

    public ExpressionResolver build() {
      return new DefaultExpressionResolver(new ResolverSettings(functions, timeout, maxSize, cacheSize,
          maxExpressionLength, maxNestingDepth));
    }
  }
}
