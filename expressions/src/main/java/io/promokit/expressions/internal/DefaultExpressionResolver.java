package io.promokit.expressions.internal;

import io.promokit.expressions.ExpressionEnvironment;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.ParsedExpression;
import io.promokit.expressions.TemplateInfo;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlInfo;

/**
 * The resolver: scans templates, compiles expr-lang expressions to sandboxed JEXL (see {@link Translator}),
 * caches both per resolver, evaluates, splices and coerces, and turns every failure into an {@link
 * ExpressionException} that quotes the user's expression.
 */
public final class DefaultExpressionResolver implements ExpressionResolver {

  private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  /**
   * Each cache holds at most cacheSize entries and cacheSize × this many characters of text: the memory bound
   * (a compiled expression with its script takes about 55 bytes per character of its text, see
   * docs/performance.md), while the usual expression (under 200 characters) is never kept out by weight.
   */
  static final int CACHED_CHARS_PER_ENTRY = 64;

  final Engine engine;
  private final BoundedCache<String, CompiledTemplate> templates;
  private final BoundedCache<String, CompiledExpression> expressions;
  private final java.util.concurrent.atomic.AtomicLong compilations = new java.util.concurrent.atomic.AtomicLong();

  public DefaultExpressionResolver(ResolverSettings settings) {
    Objects.requireNonNull(settings, "settings must not be null");
    for (String name : settings.functions().keySet()) {
      if (Catalog.isReserved(name)) {
        throw new IllegalArgumentException("function \"" + name + "\" is a built-in function and cannot be replaced");
      }
    }
    this.engine = new Engine(settings);
    long maxChars = (long) settings.cacheSize() * CACHED_CHARS_PER_ENTRY;
    this.templates = new BoundedCache<>(settings.cacheSize(), maxChars, String::length);
    this.expressions = new BoundedCache<>(settings.cacheSize(), maxChars, String::length);
  }

  // -------------------------------------------------------------------------------------------------------
  // Public API

  @Override
  public Object resolve(String template, ExpressionEnvironment environment) {
    Objects.requireNonNull(template, "template must not be null");
    Objects.requireNonNull(environment, "environment must not be null");
    if (template.indexOf("${") < 0) {
      return template;
    }
    CompiledTemplate ct = templates.get(template, this::compileTemplate);
    if (ct.error == null && ct.expressions.length == 0) {
      return template;
    }
    checkTemplateVariables(environment, template);
    return evaluateTemplate(ct, new EvalContext(engine, environment));
  }

  /**
   * As Kargo does for templates, a variable may not be named like a built-in function ({@code quote},
   * {@code asYAML}, ...). Bare expressions ({@link #evaluate}) may have such variables: json-parse and
   * yaml-parse offer a document's keys as variables, and Kargo allows any key there.
   */
  private static void checkTemplateVariables(ExpressionEnvironment environment, String template) {
    for (String name : environment.variables().keySet()) {
      if (Catalog.builtin(name) != null) {
        throw new ExpressionException("the variable " + Strings.goQuote(name) + " cannot be used in a template: "
            + "the name is reserved for the built-in function " + name + "()", template, null, 0, null, null);
      }
    }
  }

  @Override
  public Object resolveTree(Object tree, ExpressionEnvironment environment, String path) {
    Objects.requireNonNull(environment, "environment must not be null");
    EvalContext ctx = new EvalContext(engine, environment);
    try {
      checkTemplateVariables(environment, null);
      return resolveNode(tree, ctx);
    } catch (TreeError e) {
      StringBuilder sb = new StringBuilder(path == null ? "" : path);
      for (String segment : e.segments) {
        sb.append(sb.length() == 0 && segment.startsWith(".") ? segment.substring(1) : segment);
      }
      throw e.error.withConfigPath(sb.toString());
    } catch (ExpressionException e) {
      throw path == null || path.isEmpty() ? e : e.withConfigPath(path);
    }
  }

  @Override
  public Object evaluate(String expression, ExpressionEnvironment environment) {
    Objects.requireNonNull(expression, "expression must not be null");
    Objects.requireNonNull(environment, "environment must not be null");
    CompiledExpression ce = expressions.get(expression, this::compileExpression);
    EvalContext ctx = new EvalContext(engine, environment);
    Object v = run(ce, ctx, null, 1);
    try {
      return Values.normalize(v);
    } catch (EvalError e) {
      throw failure(e.getMessage(), null, ce, ctx, null, 1);
    }
  }

  @Override
  public TemplateInfo inspect(String template) {
    Objects.requireNonNull(template, "template must not be null");
    if (template.indexOf("${") < 0) {
      return new TemplateInfo(template, List.of());
    }
    CompiledTemplate ct = templates.get(template, this::compileTemplate);
    if (ct.error != null) {
      throw ExpressionException.syntaxError(ct.error, template, ct.errorText, ct.errorColumn);
    }
    List<ParsedExpression> out = new ArrayList<>();
    for (int i = 0; i < ct.expressions.length; i++) {
      CompiledExpression ce = ct.expressions[i];
      if (ce.compileError != null) {
        throw compileError(ce, template, ct.columns[i] + 3);
      }
      out.add(new ParsedExpression(ce.text.strip(), ct.columns[i], ce.references, ce.functions));
    }
    return new TemplateInfo(template, out);
  }

  @Override
  public ParsedExpression inspectExpression(String expression) {
    Objects.requireNonNull(expression, "expression must not be null");
    CompiledExpression ce = expressions.get(expression, this::compileExpression);
    if (ce.compileError != null) {
      throw compileError(ce, null, 1);
    }
    return new ParsedExpression(ce.text.strip(), 1, ce.references, ce.functions);
  }

  // -------------------------------------------------------------------------------------------------------
  // Compiling

  private CompiledTemplate compileTemplate(String template) {
    return CompiledTemplate.compile(template, text -> expressions.get(text, this::compileExpression));
  }

  /** How many expressions this resolver has compiled (for tests of the cache). */
  long compilations() {
    return compilations.get();
  }

  /** How many templates and expressions the caches hold (for tests of the bound). */
  int cached() {
    return templates.size() + expressions.size();
  }

  /** Compiles without the cache (package-private for the benchmarks' compile probe). */
  CompiledExpression compileExpression(String text) {
    compilations.incrementAndGet();
    try {
      engine.limits.checkLength(text);
      Ast.Node ast = Parser.parse(text, engine.limits.maxDepth());
      engine.limits.checkTree(ast);
      TypeChecker.check(ast);
      Ast.Node folded = Folder.fold(ast);
      Ast.Lit constant = Folder.constantArithmetic(folded, engine);
      if (constant != null) {
        folded = constant;
      }
      Translator.Result tr = Translator.translate(text, folded, engine);
      Analyzer.Result an = Analyzer.analyze(ast);
      return new CompiledExpression(text, folded, tr.jexl(), tr.chains(), an);
    } catch (SyntaxError e) {
      return new CompiledExpression(text, e.reason(), e.offset);
    } catch (StackOverflowError e) {
      // Only with a nesting limit raised beyond what this thread's stack holds.
      return new CompiledExpression(text, "the expression is nested too deeply to compile on this thread's "
          + "stack (lower ExpressionResolver.Builder.maxNestingDepth or use a larger stack)", 0);
    }
  }

  private static ExpressionException compileError(CompiledExpression ce, String template, int textColumn) {
    return ExpressionException.syntaxError(ce.compileError, template, ce.text.strip(), textColumn + ce.errorOffset);
  }

  // -------------------------------------------------------------------------------------------------------
  // Evaluating

  private static final class TreeError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient ExpressionException error;
    final Deque<String> segments = new ArrayDeque<>();

    TreeError(ExpressionException error) {
      super(null, null, false, false);
      this.error = error;
    }
  }

  private Object resolveNode(Object node, EvalContext ctx) {
    if (node instanceof String) {
      String s = (String) node;
      if (s.indexOf("${") < 0) {
        return s;
      }
      CompiledTemplate ct = templates.get(s, this::compileTemplate);
      if (ct.error == null && ct.expressions.length == 0) {
        return s;
      }
      return evaluateTemplate(ct, ctx);
    }
    if (node instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) node;
      Map<Object, Object> out = new LinkedHashMap<>(Math.max(4, m.size() * 4 / 3 + 1));
      for (Map.Entry<?, ?> e : m.entrySet()) {
        try {
          out.put(e.getKey(), resolveNode(e.getValue(), ctx));
        } catch (TreeError te) {
          te.segments.addFirst(keySegment(e.getKey()));
          throw te;
        } catch (ExpressionException ee) {
          TreeError te = new TreeError(ee);
          te.segments.addFirst(keySegment(e.getKey()));
          throw te;
        }
      }
      return out;
    }
    if (node instanceof List) {
      List<?> l = (List<?>) node;
      List<Object> out = new ArrayList<>(l.size());
      for (int i = 0; i < l.size(); i++) {
        try {
          out.add(resolveNode(l.get(i), ctx));
        } catch (TreeError te) {
          te.segments.addFirst("[" + i + "]");
          throw te;
        } catch (ExpressionException ee) {
          TreeError te = new TreeError(ee);
          te.segments.addFirst("[" + i + "]");
          throw te;
        }
      }
      return out;
    }
    return node;
  }

  private static String keySegment(Object key) {
    String k = String.valueOf(key);
    return SIMPLE_KEY.matcher(k).matches() ? "." + k : "[" + Strings.goQuote(k) + "]";
  }

  private Object evaluateTemplate(CompiledTemplate ct, EvalContext ctx) {
    if (ct.error != null) {
      throw ExpressionException.syntaxError(ct.error, ct.template, ct.errorText, ct.errorColumn);
    }
    if (ct.single) {
      return coerceValue(run(ct.expressions[0], ctx, ct.template, ct.columns[0]), ctx, ct, 0);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ct.expressions.length; i++) {
      sb.append(ct.literals[i]);
      Object v = run(ct.expressions[i], ctx, ct.template, ct.columns[i]);
      if (v instanceof String) {
        sb.append((String) v);
      } else {
        sb.append(toJson(v, ctx, ct, i));
      }
    }
    sb.append(ct.literals[ct.expressions.length]);
    return Coercion.coerce(sb.toString());
  }

  private String toJson(Object v, EvalContext ctx, CompiledTemplate ct, int i) {
    try {
      return Json.compact(v, engine.maxSize);
    } catch (EvalError e) {
      throw failure(e.getMessage(), null, ct.expressions[i], ctx, ct.template, ct.columns[i]);
    }
  }

  /** A single expression with nothing around it: the same coercion, applied to its value's string form. */
  private Object coerceValue(Object v, EvalContext ctx, CompiledTemplate ct, int i) {
    if (v instanceof String) {
      return Coercion.coerce((String) v);
    }
    if (v == null || v instanceof Boolean || v instanceof Long) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof BigInteger) {
      return Values.normalizeNumber(v);
    }
    if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
      Object whole = Values.wholeAsInteger(((Number) v).doubleValue());
      if (!(whole instanceof Double)) {
        return whole;
      }
    }
    return Coercion.coerce(toJson(v, ctx, ct, i));
  }

  private Object run(CompiledExpression ce, EvalContext ctx, String template, int column) {
    if (ce.compileError != null) {
      throw compileError(ce, template, template == null ? 1 : column + 3);
    }
    if (ce.constant) {
      return ce.constantValue;
    }
    ctx.functions.startExpression();
    Object v;
    try {
      v = ce.script(engine).execute(ctx);
    } catch (RuntimeException | StackOverflowError e) {
      throw translate(e, ce, ctx, template, column);
    }
    if (v == Functions.CHAIN_NIL) {
      v = null;
    }
    if (SecretTaint.tainted(ce, ctx)) {
      SecretTaint.register(v, ctx.environment.masker());
    }
    return v;
  }

  private ExpressionException failure(String reason, Throwable cause, CompiledExpression ce, EvalContext ctx,
      String template, int column) {
    String shown = SecretTaint.tainted(ce, ctx) ? SecretTaint.hideQuotedValues(reason) : reason;
    String masked = ctx.environment.masker().mask(shown);
    return new ExpressionException(masked, template, ce.text.strip(), column, null, cause);
  }

  private ExpressionException translate(Throwable e, CompiledExpression ce, EvalContext ctx, String template,
      int column) {
    Throwable hostCause = null;
    EvalError eval = null;
    JexlException access = null;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof JexlException.Cancel) {
        // JEXL noticed the thread's interrupt and cleared it: keep it set for the caller.
        Thread.currentThread().interrupt();
        return failure("the evaluation was interrupted", null, ce, ctx, template, column);
      }
      if (t instanceof EvalError && eval == null) {
        eval = (EvalError) t;
        if (t.getCause() != null && !(t.getCause() instanceof JexlException)) {
          hostCause = t.getCause();
        }
      }
      if ((t instanceof JexlException.Property || t instanceof JexlException.Variable) && access == null) {
        access = (JexlException) t;
      }
      if (t instanceof ExpressionException) {
        return (ExpressionException) t;
      }
    }
    if (access != null) {
      String reason = rewalk(ce, ctx, access);
      if (reason != null) {
        return failure(reason, null, ce, ctx, template, column);
      }
    }
    if (eval != null) {
      return failure(eval.getMessage(), hostCause, ce, ctx, template, column);
    }
    if (e instanceof StackOverflowError) {
      return failure("the expression is nested too deeply to evaluate", null, ce, ctx, template, column);
    }
    return failure("the expression could not be evaluated (" + describe(e) + ")", null, ce, ctx, template,
        column);
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof JexlException) {
      return "unsupported operation";
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  /**
   * JEXL failed on a native member chain ({@code vars.x.y} with {@code vars.x} null): walk the chain again
   * from the environment with {@link Access} to find and name the failing part. Null if no chain fails.
   */
  private static String rewalk(CompiledExpression ce, EvalContext ctx, JexlException error) {
    JexlInfo info = error.getInfo();
    int offset = info == null ? -1 : info.getColumn() - 1;
    Translator.NativeChain best = null;
    for (Translator.NativeChain c : ce.chains) {
      if (offset >= c.jexlStart() && offset < c.jexlEnd()
          && (best == null || c.jexlEnd() - c.jexlStart() < best.jexlEnd() - best.jexlStart())) {
        best = c;
      }
    }
    if (best != null) {
      String r = walk(best, ce, ctx);
      if (r != null) {
        return r;
      }
    }
    for (Translator.NativeChain c : ce.chains) {
      String r = walk(c, ce, ctx);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  private static String walk(Translator.NativeChain chain, CompiledExpression ce, EvalContext ctx) {
    Map<String, Object> variables = ctx.environment.variables();
    if (!variables.containsKey(chain.root().name())) {
      return EvalContext.unknownName(chain.root().name(), variables);
    }
    Object v = variables.get(chain.root().name());
    String text = ce.text.substring(chain.root().start(), chain.root().end());
    try {
      for (Ast.Member step : chain.steps()) {
        v = Access.get(v, ((Ast.Lit) step.key()).value(), text);
        text = ce.text.substring(chain.root().start(), step.end());
      }
      return null;
    } catch (EvalError e) {
      return e.getMessage();
    }
  }
}
