package io.promokit.expressions.internal;

import io.promokit.expressions.ConfigMapSource;
import io.promokit.expressions.ExpressionEnvironment;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.ExpressionFunction;
import io.promokit.expressions.FreightLookup;
import io.promokit.expressions.ResourceScope;
import io.promokit.expressions.SecretMasker;
import io.promokit.expressions.SecretSource;
import io.promokit.expressions.SemanticVersion;
import io.promokit.expressions.StepStatusView;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.jexl3.JexlScript;

/**
 * The functions namespace of one evaluation (one {@code resolve}, {@code resolveTree} or {@code evaluate}
 * call): the builtins, Kargo's functions, host functions, and the helpers the translated JEXL calls for
 * operators JEXL lacks. Public only so that JEXL's introspection can call it; not part of the API.
 *
 * <p>Every loop over user data ticks the deadline and charges the size budget, so no expression can run
 * or grow without bound: JEXL itself runs the rest of an expression in time linear in its length.
 */
public final class Functions {

  /** The nil that an optional step ({@code a?.b}) produces; turned back into null at the end of its chain. */
  static final Object CHAIN_NIL = new Object() {
    @Override
    public String toString() {
      return "nil";
    }
  };

  private final Engine engine;
  private final ExpressionEnvironment env;
  private final EvalContext context;
  private long deadline;
  private long budget;
  private boolean readSecret;

  Functions(Engine engine, ExpressionEnvironment env, EvalContext context) {
    this.engine = engine;
    this.env = env;
    this.context = context;
  }

  /** Resets the time and size allowance (and the secret flag) before each expression. */
  void startExpression() {
    deadline = 0;
    budget = engine.budget;
    readSecret = false;
  }

  /** Whether the current expression called secret() or sharedSecret() and got values. */
  boolean readSecret() {
    return readSecret;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Limits

  void tick() {
    long now = System.nanoTime();
    if (deadline == 0) {
      deadline = now + engine.timeoutNanos;
    } else if (now - deadline > 0) {
      throw new EvalError("the expression ran longer than the limit of " + Engine.human(engine.timeout));
    }
  }

  private void charge(long units) {
    if (units > engine.maxSize) {
      throw new EvalError("the result would have " + units + " characters or elements, more than the limit of "
          + engine.maxSize);
    }
    budget -= units;
    if (budget < 0) {
      throw new EvalError("the expression builds more than " + engine.budget
          + " characters or elements in total, more than its limit");
    }
  }

  private String charged(String s) {
    charge(s.length());
    return s;
  }

  private <T extends List<?>> T charged(T l) {
    charge(l.size());
    return l;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Argument checks

  private static String ordinal(int i) {
    switch (i) {
      case 1: return "first";
      case 2: return "second";
      case 3: return "third";
      default: return i + "th";
    }
  }

  private static EvalError expected(String fn, int arg, String what, Object got) {
    String where = arg == 0 ? "" : " as its " + ordinal(arg) + " argument";
    return new EvalError(fn + "() expects " + what + where + ", but got " + Values.describe(got));
  }

  private static String str(Object v, String fn, int arg) {
    if (v instanceof String) {
      return (String) v;
    }
    if (v instanceof Character) {
      return v.toString();
    }
    throw expected(fn, arg, "a string", v);
  }

  private static List<?> list(Object v, String fn, int arg) {
    if (Values.isList(v)) {
      return Values.asList(v);
    }
    throw expected(fn, arg, "a list", v);
  }

  private static Map<?, ?> map(Object v, String fn, int arg) {
    if (v instanceof Map) {
      return (Map<?, ?>) v;
    }
    throw expected(fn, arg, "a map", v);
  }

  private static long integer(Object v, String fn, int arg) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
        || (v instanceof BigInteger && ((BigInteger) v).bitLength() < 64)) {
      return ((Number) v).longValue();
    }
    throw expected(fn, arg, "an int", v);
  }

  private static Object number(Object v, String fn, int arg) {
    if (Values.isNumber(v)) {
      return Values.normalizeNumber(v);
    }
    throw expected(fn, arg, "a number", v);
  }

  private static JexlScript predicate(Object v, String fn) {
    if (v instanceof JexlScript) {
      return (JexlScript) v;
    }
    throw expected(fn, 2, "a predicate", v);
  }

  private Object call(JexlScript p, Object item, long index, Object acc) {
    tick();
    return p.execute(context, item, index, acc);
  }

  private boolean test(JexlScript p, Object item, long index, String fn) {
    Object r = call(p, item, index, null);
    if (r instanceof Boolean) {
      return (Boolean) r;
    }
    if (r == null) {
      return false;
    }
    throw new EvalError("the predicate of " + fn + "() must give a bool, but gave " + Values.describe(r));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Helpers for translated operators and syntax

  public Object _var(String name) {
    return context.variable(name);
  }

  /** The value as it is: keeps a read out of JEXL's ternary protection (see Translator#emitUnprotected). */
  public Object _v(Object value) {
    return value;
  }

  public Object _env() {
    return env.variables();
  }

  public Object _get(Object obj, Object key, String text) {
    if (obj == CHAIN_NIL) {
      return CHAIN_NIL;
    }
    return Access.get(obj, Values.normalizeNumber(key), text);
  }

  public Object _oget(Object obj, Object key, String text) {
    if (obj == null || obj == CHAIN_NIL) {
      return CHAIN_NIL;
    }
    return Access.get(obj, Values.normalizeNumber(key), text);
  }

  public Object _endChain(Object v) {
    return v == CHAIN_NIL ? null : v;
  }

  public Object _slice(Object obj, Object from, Object to, String text) {
    if (obj == CHAIN_NIL) {
      return CHAIN_NIL;
    }
    if (obj == null) {
      throw new EvalError(text + " is null, cannot take a slice of it");
    }
    int n;
    if (obj instanceof String) {
      n = Utf8.length((String) obj);
    } else if (Values.isList(obj)) {
      n = Values.asList(obj).size();
    } else {
      throw new EvalError(text + " is " + Values.aTypeName(obj) + ", cannot take a slice of it");
    }
    // Go's clamping: negative counts from the end, then both ends into [0, n], from no later than to.
    long b = to == null ? n : Values.toLong(to, "a slice index");
    long a = from == null ? 0 : Values.toLong(from, "a slice index");
    a = Math.max(0, a < 0 ? a + n : a);
    b = Math.min(n, Math.max(0, b < 0 ? b + n : b));
    a = Math.min(a, b);
    if (obj instanceof String) {
      return Utf8.slice((String) obj, (int) a, (int) b);
    }
    return new ArrayList<>(Values.asList(obj).subList((int) a, (int) b));
  }

  /**
   * A long run of arithmetic or equality operators ({@code ops} separated by spaces), applied left to right
   * exactly as the nested binary operators would be.
   */
  public Object _series(String ops, Object... operands) {
    String[] op = ops.split(" ");
    ExprArithmetic a = engine.arithmetic();
    Object acc = operands[0];
    for (int i = 0; i < op.length; i++) {
      if ((i & 1023) == 1023) {
        tick();
      }
      Object next = operands[i + 1];
      switch (op[i]) {
        case "+": acc = a.add(acc, next); break;
        case "-": acc = a.subtract(acc, next); break;
        case "*": acc = a.multiply(acc, next); break;
        case "/": acc = a.divide(acc, next); break;
        case "%": acc = a.mod(acc, next); break;
        case "==": acc = a.equals(acc, next); break;
        case "!=": acc = !a.equals(acc, next); break;
        default: throw new IllegalStateException("unknown operator " + op[i]);
      }
    }
    return acc;
  }

  /** A computed map key ({@code {(k): v}}): a string, as expr-lang builds {@code map[string]any}. */
  public Object _key(Object key) {
    if (key instanceof String) {
      return key;
    }
    throw new EvalError("a map key must be a string, but got " + Values.describe(key));
  }

  public Object _in(Object item, Object container) {
    if (container == null) {
      return false;
    }
    if (container instanceof Map) {
      return ((Map<?, ?>) container).containsKey(Access.mapKey(item, "the map on the right of in"));
    }
    if (Values.isList(container)) {
      List<?> l = Values.asList(container);
      int i = 0;
      for (Object x : l) {
        if ((++i & 1023) == 0) {
          tick();
        }
        if (Values.equal(item, x)) {
          return true;
        }
      }
      return false;
    }
    throw new EvalError("invalid operation: " + Values.describe(item) + " in " + Values.describe(container)
        + " (the right side of in must be a list or a map)");
  }

  private static String[] twoStrings(Object a, Object b, String op) {
    if ((a instanceof String || a instanceof Character) && (b instanceof String || b instanceof Character)) {
      return new String[] {a.toString(), b.toString()};
    }
    throw new EvalError("invalid operation: " + Values.describe(a) + " " + op + " " + Values.describe(b)
        + " (" + op + " works on strings)");
  }

  // A nil operand makes these false, as in expr-lang 1.17 (its test TestExpr_nil_op_str).

  public Object _contains(Object a, Object b) {
    if (a == null || b == null) {
      return false;
    }
    String[] s = twoStrings(a, b, "contains");
    return s[0].contains(s[1]);
  }

  public Object _startsWith(Object a, Object b) {
    if (a == null || b == null) {
      return false;
    }
    String[] s = twoStrings(a, b, "startsWith");
    return s[0].startsWith(s[1]);
  }

  public Object _endsWith(Object a, Object b) {
    if (a == null || b == null) {
      return false;
    }
    String[] s = twoStrings(a, b, "endsWith");
    return s[0].endsWith(s[1]);
  }

  public Object _matches(Object a, Object b) {
    if (a == null || b == null) {
      return false;
    }
    String[] s = twoStrings(a, b, "matches");
    com.google.re2j.Pattern p = engine.pattern(s[1]);
    tick();
    return p.matcher(new DeadlineCharSequence(s[0], this)).find();
  }

  public Object _pow(Object a, Object b) {
    if (Values.isNumber(a) && Values.isNumber(b)) {
      return GoMath.pow(Values.toDouble(a), Values.toDouble(b));
    }
    throw new EvalError("invalid operation: " + Values.describe(a) + " ** " + Values.describe(b));
  }

  public Object _range(Object a, Object b) {
    if (!Values.isIntegral(a) || !Values.isIntegral(b)) {
      throw new EvalError("invalid operation: " + Values.describe(a) + " .. " + Values.describe(b)
          + " (a range needs two ints)");
    }
    long from = Values.toLong(a, "..");
    long to = Values.toLong(b, "..");
    if (to < from) {
      return new ArrayList<>();
    }
    long size = to - from + 1;
    if (size <= 0 || size > engine.maxSize) {
      throw new EvalError("the range " + from + ".." + to + " would have more than " + engine.maxSize
          + " elements, the limit");
    }
    charge(size);
    List<Object> out = new ArrayList<>((int) size);
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }

  /** A method call on a value the engine itself made (a version, a time, a duration). */
  public Object _m(Object obj, String name, String text, Object... args) {
    if (obj == CHAIN_NIL) {
      return CHAIN_NIL;
    }
    if (obj == null) {
      throw new EvalError(text + " is null, cannot call " + name + "()");
    }
    return Methods.call(obj, name, text, args);
  }

  public Object _om(Object obj, String name, String text, Object... args) {
    if (obj == null || obj == CHAIN_NIL) {
      return CHAIN_NIL;
    }
    return Methods.call(obj, name, text, args);
  }

  /** A host function, by its index in the resolver. */
  public Object _h(int index, Object... args) {
    String name = engine.hostNames[index];
    ExpressionFunction fn = engine.hostFunctions[index];
    List<Object> arguments = Collections.unmodifiableList(new ArrayList<>(Arrays.asList(args)));
    Object result;
    try {
      result = fn.apply(arguments);
    } catch (IllegalArgumentException e) {
      throw new EvalError(name + "(): " + e.getMessage(), e);
    } catch (ExpressionException e) {
      throw new EvalError(name + "(): " + e.reason(), e);
    } catch (RuntimeException e) {
      throw new EvalError(name + "() failed: " + (e.getMessage() == null ? e.getClass().getSimpleName()
          : e.getMessage()), e);
    }
    return Values.normalize(result);
  }

  // ---------------------------------------------------------------------------------------------------------
  // String functions

  public Object len(Object v) {
    if (v instanceof String) {
      return (long) Strings.codePointLength((String) v);
    }
    if (v instanceof Map) {
      return (long) ((Map<?, ?>) v).size();
    }
    if (Values.isList(v)) {
      return (long) Values.asList(v).size();
    }
    throw expected("len", 0, "a string, list or map", v);
  }

  public Object upper(Object s) {
    return str(s, "upper", 0).toUpperCase(java.util.Locale.ROOT);
  }

  public Object lower(Object s) {
    return str(s, "lower", 0).toLowerCase(java.util.Locale.ROOT);
  }

  private static boolean isSpace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
  }

  public Object trim(Object s) {
    String x = str(s, "trim", 1);
    int a = 0;
    int b = x.length();
    while (a < b && isSpace(x.codePointAt(a))) {
      a += Character.charCount(x.codePointAt(a));
    }
    while (b > a && isSpace(x.codePointBefore(b))) {
      b -= Character.charCount(x.codePointBefore(b));
    }
    return x.substring(a, b);
  }

  public Object trim(Object s, Object chars) {
    String x = str(s, "trim", 1);
    String cut = str(chars, "trim", 2);
    int a = 0;
    int b = x.length();
    while (a < b && cut.indexOf(x.codePointAt(a)) >= 0) {
      a += Character.charCount(x.codePointAt(a));
    }
    while (b > a && cut.indexOf(x.codePointBefore(b)) >= 0) {
      b -= Character.charCount(x.codePointBefore(b));
    }
    return x.substring(a, b);
  }

  public Object trimPrefix(Object s) {
    return trimPrefix(s, " ");
  }

  public Object trimPrefix(Object s, Object prefix) {
    String x = str(s, "trimPrefix", 1);
    String p = str(prefix, "trimPrefix", 2);
    return x.startsWith(p) ? x.substring(p.length()) : x;
  }

  public Object trimSuffix(Object s) {
    return trimSuffix(s, " ");
  }

  public Object trimSuffix(Object s, Object suffix) {
    String x = str(s, "trimSuffix", 1);
    String p = str(suffix, "trimSuffix", 2);
    return x.endsWith(p) ? x.substring(0, x.length() - p.length()) : x;
  }

  public Object split(Object s, Object sep) {
    return splitImpl("split", s, sep, -1L, false);
  }

  public Object split(Object s, Object sep, Object n) {
    return splitImpl("split", s, sep, integer(n, "split", 3), false);
  }

  public Object splitAfter(Object s, Object sep) {
    return splitImpl("splitAfter", s, sep, -1L, true);
  }

  public Object splitAfter(Object s, Object sep, Object n) {
    return splitImpl("splitAfter", s, sep, integer(n, "splitAfter", 3), true);
  }

  private Object splitImpl(String fn, Object s, Object sepArg, long n, boolean after) {
    String x = str(s, fn, 1);
    String sep = str(sepArg, fn, 2);
    List<Object> out = new ArrayList<>();
    if (n == 0) {
      return out;
    }
    if (sep.isEmpty()) {
      int i = 0;
      while (i < x.length()) {
        if (n > 0 && out.size() == n - 1) {
          out.add(x.substring(i));
          return charged(out);
        }
        int next = i + Character.charCount(x.codePointAt(i));
        out.add(x.substring(i, next));
        i = next;
      }
      return charged(out);
    }
    int start = 0;
    while (n < 0 || out.size() < n - 1) {
      int at = x.indexOf(sep, start);
      if (at < 0) {
        break;
      }
      out.add(x.substring(start, after ? at + sep.length() : at));
      start = at + sep.length();
    }
    out.add(x.substring(start));
    return charged(out);
  }

  public Object join(Object l) {
    return join(l, "");
  }

  public Object join(Object l, Object sep) {
    List<?> items = list(l, "join", 1);
    String glue = str(sep, "join", 2);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (!(item instanceof String)) {
        throw new EvalError("join() expects a list of strings, but element " + i + " is "
            + Values.describe(item));
      }
      if (i > 0) {
        sb.append(glue);
      }
      sb.append((String) item);
      if (sb.length() > engine.maxSize) {
        charge(sb.length());
      }
    }
    return charged(sb.toString());
  }

  public Object replace(Object s, Object old, Object repl) {
    return replaceImpl(s, old, repl, -1);
  }

  public Object replace(Object s, Object old, Object repl, Object n) {
    return replaceImpl(s, old, repl, integer(n, "replace", 4));
  }

  private Object replaceImpl(Object s, Object oldArg, Object replArg, long n) {
    String x = str(s, "replace", 1);
    String old = str(oldArg, "replace", 2);
    String repl = str(replArg, "replace", 3);
    if (n == 0 || (old.equals(repl))) {
      return x;
    }
    StringBuilder sb = new StringBuilder();
    long count = 0;
    if (old.isEmpty()) {
      int i = 0;
      while (true) {
        if (n >= 0 && count >= n) {
          sb.append(x, i, x.length());
          break;
        }
        sb.append(repl);
        count++;
        if (i >= x.length()) {
          break;
        }
        int next = i + Character.charCount(x.codePointAt(i));
        sb.append(x, i, next);
        i = next;
        if (sb.length() > engine.maxSize) {
          charge(sb.length());
        }
      }
      return charged(sb.toString());
    }
    int start = 0;
    while (n < 0 || count < n) {
      int at = x.indexOf(old, start);
      if (at < 0) {
        break;
      }
      sb.append(x, start, at).append(repl);
      start = at + old.length();
      count++;
      if (sb.length() > engine.maxSize) {
        charge(sb.length());
      }
    }
    sb.append(x, start, x.length());
    return charged(sb.toString());
  }

  public Object repeat(Object s, Object n) {
    String x = str(s, "repeat", 1);
    long times = integer(n, "repeat", 2);
    if (times < 0) {
      throw new EvalError("repeat() expects a count of 0 or more, but got " + times);
    }
    charge(Math.multiplyHigh((long) x.length(), times) != 0 ? Long.MAX_VALUE : (long) x.length() * times);
    return x.repeat((int) times);
  }

  public Object indexOf(Object s, Object sub) {
    String x = str(s, "indexOf", 1);
    return Utf8.byteOffset(x, x.indexOf(str(sub, "indexOf", 2)));
  }

  public Object lastIndexOf(Object s, Object sub) {
    String x = str(s, "lastIndexOf", 1);
    return Utf8.byteOffset(x, x.lastIndexOf(str(sub, "lastIndexOf", 2)));
  }

  public Object hasPrefix(Object s, Object p) {
    return str(s, "hasPrefix", 1).startsWith(str(p, "hasPrefix", 2));
  }

  public Object hasSuffix(Object s, Object p) {
    return str(s, "hasSuffix", 1).endsWith(str(p, "hasSuffix", 2));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Maps and lists

  public Object keys(Object m) {
    return charged(new ArrayList<Object>(map(m, "keys", 0).keySet()));
  }

  public Object values(Object m) {
    return charged(new ArrayList<Object>(map(m, "values", 0).values()));
  }

  // first() and last() give nil for what they cannot read, as expr-lang's do (they recover from any failure);
  // on a string they read a byte, as Go's index does.

  public Object first(Object l) {
    return end(l, true);
  }

  public Object last(Object l) {
    return end(l, false);
  }

  private static Object end(Object v, boolean first) {
    if (v instanceof String s) {
      int n = Utf8.length(s);
      return n == 0 ? null : Utf8.byteAt(s, first ? 0 : n - 1);
    }
    if (!Values.isList(v)) {
      return null;
    }
    List<?> x = Values.asList(v);
    return x.isEmpty() ? null : x.get(first ? 0 : x.size() - 1);
  }

  public Object getOrNil(Object v, Object key) {
    if (v == null) {
      return null;
    }
    try {
      return Access.get(v, Values.normalizeNumber(key), "value");
    } catch (EvalError e) {
      return null;
    }
  }

  public Object take(Object l, Object n) {
    List<?> x = list(l, "take", 1);
    long k = integer(n, "take", 2);
    if (k < 0) {
      throw new EvalError("take() expects a count of 0 or more, but got " + k);
    }
    return new ArrayList<>(x.subList(0, (int) Math.min(k, x.size())));
  }

  public Object reverse(Object l) {
    List<Object> out = new ArrayList<>(list(l, "reverse", 0));
    Collections.reverse(out);
    return out;
  }

  private static boolean descending(Object order, String fn, int arg) {
    String o = str(order, fn, arg);
    if (o.equals("asc")) {
      return false;
    }
    if (o.equals("desc")) {
      return true;
    }
    throw new EvalError(fn + "() expects \"asc\" or \"desc\" as the sort order, but got " + Strings.goQuote(o));
  }

  public Object sort(Object l) {
    return sortImpl(list(l, "sort", 1), false);
  }

  public Object sort(Object l, Object order) {
    return sortImpl(list(l, "sort", 1), descending(order, "sort", 2));
  }

  private Object sortImpl(List<?> items, boolean desc) {
    List<Object> out = new ArrayList<>(items);
    tick();
    out.sort((a, b) -> desc ? Values.compare(b, a, "<") : Values.compare(a, b, "<"));
    return out;
  }

  public Object concat(Object... lists) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < lists.length; i++) {
      List<?> l = list(lists[i], "concat", i + 1);
      charge(l.size());
      out.addAll(l);
    }
    return out;
  }

  public Object flatten(Object l) {
    List<Object> out = new ArrayList<>();
    flattenInto(list(l, "flatten", 0), out, 0, Walk.start());
    return charged(out);
  }

  private void flattenInto(List<?> l, List<Object> out, int depth, Walk walk) {
    walk.step();
    if (depth > 1000) {
      throw new EvalError("flatten(): the list is nested too deeply");
    }
    for (Object x : l) {
      if (Values.isList(x)) {
        flattenInto(Values.asList(x), out, depth + 1, walk);
      } else {
        out.add(x);
        if ((out.size() & 1023) == 0) {
          tick();
          if (out.size() > engine.maxSize) {
            charge(out.size());
          }
        }
      }
    }
  }

  public Object uniq(Object l) {
    List<Object> out = new ArrayList<>();
    for (Object x : list(l, "uniq", 0)) {
      tick();
      boolean seen = false;
      for (Object y : out) {
        if (Values.equal(x, y)) {
          seen = true;
          break;
        }
      }
      if (!seen) {
        out.add(x);
      }
    }
    return out;
  }

  public Object toPairs(Object m) {
    List<Object> out = new ArrayList<>();
    for (Map.Entry<?, ?> e : map(m, "toPairs", 0).entrySet()) {
      out.add(new ArrayList<>(Arrays.asList(e.getKey(), e.getValue())));
    }
    return charged(out);
  }

  public Object fromPairs(Object l) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Object pair : list(l, "fromPairs", 0)) {
      if (!Values.isList(pair) || Values.asList(pair).size() != 2) {
        throw new EvalError("fromPairs() expects a list of [key, value] pairs, but got " + Values.describe(pair));
      }
      List<?> p = Values.asList(pair);
      out.put(p.get(0) instanceof String ? (String) p.get(0) : Strings.goString(p.get(0)), p.get(1));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Conversions and numbers

  public Object toInt(Object v) {
    if (Values.isIntegral(v)) {
      return Values.normalizeNumber(v);
    }
    if (Values.isFloating(v)) {
      double d = Values.toDouble(v);
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new EvalError("int() cannot convert " + Strings.goFloat(d) + " to an int");
      }
      return Values.narrow(new BigDecimal(d).setScale(0, RoundingMode.DOWN).toBigInteger());
    }
    if (v instanceof String) {
      String s = (String) v;
      if (s.matches("[+-]?[0-9]+")) {
        return Values.narrow(new BigInteger(s.startsWith("+") ? s.substring(1) : s));
      }
      throw new EvalError("int() cannot convert " + Strings.goQuote(s) + " to an int");
    }
    throw expected("int", 0, "a number or a string", v);
  }

  public Object toFloat(Object v) {
    if (Values.isNumber(v)) {
      return Values.toDouble(v);
    }
    if (v instanceof String) {
      String s = ((String) v);
      Object n = Coercion.parseNumber(s);
      if (n != null) {
        return Values.toDouble(n);
      }
      throw new EvalError("float() cannot convert " + Strings.goQuote(s) + " to a float");
    }
    throw expected("float", 0, "a number or a string", v);
  }

  public Object toStr(Object v) {
    return charged(Strings.goString(v));
  }

  public Object typeOf(Object v) {
    if (v == null) {
      return "nil";
    }
    if (Values.isList(v)) {
      return "array";
    }
    if (v instanceof SemanticVersion) {
      return "*semver.Version";
    }
    if (v instanceof OffsetDateTime) {
      return "time.Time";
    }
    if (v instanceof Duration) {
      return "time.Duration";
    }
    return Values.typeName(v);
  }

  public Object abs(Object v) {
    Object n = number(v, "abs", 0);
    if (n instanceof Long) {
      long x = (Long) n;
      return x == Long.MIN_VALUE ? BigInteger.valueOf(x).negate() : Math.abs(x);
    }
    if (n instanceof BigInteger) {
      return Values.narrow(((BigInteger) n).abs());
    }
    return Math.abs((Double) n);
  }

  public Object ceil(Object v) {
    Object n = number(v, "ceil", 0);
    return n instanceof Double ? Math.ceil((Double) n) : n;
  }

  public Object floor(Object v) {
    Object n = number(v, "floor", 0);
    return n instanceof Double ? Math.floor((Double) n) : n;
  }

  public Object round(Object v) {
    Object n = number(v, "round", 0);
    if (n instanceof Double) {
      double d = (Double) n;
      return Math.signum(d) * Math.floor(Math.abs(d) + 0.5);
    }
    return n;
  }

  private List<Object> numbersOf(String fn, Object... args) {
    if (args == null) {
      throw expected(fn, 0, "numbers or lists of numbers", null);
    }
    List<Object> out = new ArrayList<>();
    Walk walk = Walk.start();
    for (Object a : args) {
      collectNumbers(fn, a, out, 0, walk);
    }
    return out;
  }

  private void collectNumbers(String fn, Object a, List<Object> out, int depth, Walk walk) {
    walk.step();
    if (Values.isList(a) && depth < 100) {
      for (Object x : Values.asList(a)) {
        collectNumbers(fn, x, out, depth + 1, walk);
      }
    } else if (Values.isNumber(a)) {
      out.add(Values.normalizeNumber(a));
    } else {
      throw expected(fn, 0, "numbers or lists of numbers", a);
    }
  }

  /**
   * As in expr-lang, one argument that is neither a number nor a list is the result as it is (JEXL passes a
   * single nil argument to a variadic method as a null array: the result is nil).
   */
  private static Object single(Object[] args) {
    if (args == null) {
      return null;
    }
    if (args.length == 1 && !Values.isNumber(args[0]) && !Values.isList(args[0])) {
      return args[0];
    }
    return args;
  }

  public Object max(Object... args) {
    Object one = single(args);
    if (!(one instanceof Object[])) {
      return one;
    }
    args = (Object[]) one;
    Object best = null;
    for (Object x : numbersOf("max", args)) {
      if (best == null || Values.compareNumbers(x, best) > 0) {
        best = x;
      }
    }
    return best;
  }

  public Object min(Object... args) {
    Object one = single(args);
    if (!(one instanceof Object[])) {
      return one;
    }
    args = (Object[]) one;
    Object best = null;
    for (Object x : numbersOf("min", args)) {
      if (best == null || Values.compareNumbers(x, best) < 0) {
        best = x;
      }
    }
    return best;
  }

  public Object mean(Object... args) {
    List<Object> xs = numbersOf("mean", args);
    if (xs.isEmpty()) {
      return 0.0;
    }
    double sum = 0;
    for (Object x : xs) {
      sum += Values.toDouble(x);
    }
    return sum / xs.size();
  }

  public Object median(Object... args) {
    List<Object> xs = numbersOf("median", args);
    if (xs.isEmpty()) {
      return 0.0;
    }
    double[] d = xs.stream().mapToDouble(Values::toDouble).sorted().toArray();
    int n = d.length;
    return n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
  }

  public Object toJSON(Object v) {
    return charged(Json.pretty(v, engine.maxSize));
  }

  public Object fromJSON(Object s) {
    String text = str(s, "fromJSON", 0);
    try {
      return Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw new EvalError("fromJSON(): the text is not valid JSON: " + e.getMessage());
    }
  }

  public Object toBase64(Object s) {
    return charged(Base64.getEncoder().encodeToString(str(s, "toBase64", 0).getBytes(StandardCharsets.UTF_8)));
  }

  public Object fromBase64(Object s) {
    String text = str(s, "fromBase64", 0);
    try {
      return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new EvalError("fromBase64(): the text is not valid base64: " + e.getMessage());
    }
  }

  public Object now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  public Object duration(Object s) {
    return GoDuration.parse(str(s, "duration", 0));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Predicates

  public Object all(Object l, Object p) {
    List<?> xs = list(l, "all", 1);
    JexlScript f = predicate(p, "all");
    for (int i = 0; i < xs.size(); i++) {
      if (!test(f, xs.get(i), i, "all")) {
        return false;
      }
    }
    return true;
  }

  public Object any(Object l, Object p) {
    List<?> xs = list(l, "any", 1);
    JexlScript f = predicate(p, "any");
    for (int i = 0; i < xs.size(); i++) {
      if (test(f, xs.get(i), i, "any")) {
        return true;
      }
    }
    return false;
  }

  public Object none(Object l, Object p) {
    List<?> xs = list(l, "none", 1);
    JexlScript f = predicate(p, "none");
    for (int i = 0; i < xs.size(); i++) {
      if (test(f, xs.get(i), i, "none")) {
        return false;
      }
    }
    return true;
  }

  public Object one(Object l, Object p) {
    List<?> xs = list(l, "one", 1);
    JexlScript f = predicate(p, "one");
    int n = 0;
    for (int i = 0; i < xs.size(); i++) {
      if (test(f, xs.get(i), i, "one") && ++n > 1) {
        return false;
      }
    }
    return n == 1;
  }

  public Object filter(Object l, Object p) {
    List<?> xs = list(l, "filter", 1);
    JexlScript f = predicate(p, "filter");
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      if (test(f, xs.get(i), i, "filter")) {
        out.add(xs.get(i));
        charge(1);
      }
    }
    return out;
  }

  public Object mapEach(Object l, Object p) {
    List<?> xs = list(l, "map", 1);
    JexlScript f = predicate(p, "map");
    List<Object> out = new ArrayList<>(xs.size());
    for (int i = 0; i < xs.size(); i++) {
      Object r = call(f, xs.get(i), i, null);
      charge(r instanceof String ? 1 + ((String) r).length() : 1);
      out.add(r);
    }
    return out;
  }

  public Object find(Object l, Object p) {
    List<?> xs = list(l, "find", 1);
    JexlScript f = predicate(p, "find");
    for (int i = 0; i < xs.size(); i++) {
      if (test(f, xs.get(i), i, "find")) {
        return xs.get(i);
      }
    }
    return null;
  }

  public Object findIndex(Object l, Object p) {
    List<?> xs = list(l, "findIndex", 1);
    JexlScript f = predicate(p, "findIndex");
    for (int i = 0; i < xs.size(); i++) {
      if (test(f, xs.get(i), i, "findIndex")) {
        return (long) i;
      }
    }
    return -1L;
  }

  public Object findLast(Object l, Object p) {
    List<?> xs = list(l, "findLast", 1);
    JexlScript f = predicate(p, "findLast");
    for (int i = xs.size() - 1; i >= 0; i--) {
      if (test(f, xs.get(i), i, "findLast")) {
        return xs.get(i);
      }
    }
    return null;
  }

  public Object findLastIndex(Object l, Object p) {
    List<?> xs = list(l, "findLastIndex", 1);
    JexlScript f = predicate(p, "findLastIndex");
    for (int i = xs.size() - 1; i >= 0; i--) {
      if (test(f, xs.get(i), i, "findLastIndex")) {
        return (long) i;
      }
    }
    return -1L;
  }

  public Object count(Object l) {
    long n = 0;
    for (Object x : list(l, "count", 1)) {
      if (ExprArithmetic.condition(x, "count()")) {
        n++;
      }
    }
    return n;
  }

  public Object count(Object l, Object p) {
    List<?> xs = list(l, "count", 1);
    JexlScript f = predicate(p, "count");
    long n = 0;
    for (int i = 0; i < xs.size(); i++) {
      if (test(f, xs.get(i), i, "count")) {
        n++;
      }
    }
    return n;
  }

  public Object sum(Object l) {
    Object total = 0L;
    for (Object x : list(l, "sum", 1)) {
      total = engine.arithmetic().add(total, number(x, "sum", 1));
    }
    return total;
  }

  public Object sum(Object l, Object p) {
    List<?> xs = list(l, "sum", 1);
    JexlScript f = predicate(p, "sum");
    Object total = 0L;
    for (int i = 0; i < xs.size(); i++) {
      Object r = call(f, xs.get(i), i, null);
      if (!Values.isNumber(r)) {
        throw new EvalError("the predicate of sum() must give a number, but gave " + Values.describe(r));
      }
      total = engine.arithmetic().add(total, Values.normalizeNumber(r));
    }
    return total;
  }

  public Object groupBy(Object l, Object p) {
    List<?> xs = list(l, "groupBy", 1);
    JexlScript f = predicate(p, "groupBy");
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < xs.size(); i++) {
      Object key = call(f, xs.get(i), i, null);
      String k = key instanceof String ? (String) key : Strings.goString(key);
      @SuppressWarnings("unchecked")
      List<Object> group = (List<Object>) out.computeIfAbsent(k, x -> new ArrayList<>());
      group.add(xs.get(i));
      charge(1);
    }
    return out;
  }

  public Object sortBy(Object l, Object p) {
    return sortByImpl(l, p, false);
  }

  public Object sortBy(Object l, Object p, Object order) {
    return sortByImpl(l, p, descending(order, "sortBy", 3));
  }

  private Object sortByImpl(Object l, Object p, boolean desc) {
    List<?> xs = list(l, "sortBy", 1);
    JexlScript f = predicate(p, "sortBy");
    List<Object[]> keyed = new ArrayList<>(xs.size());
    for (int i = 0; i < xs.size(); i++) {
      keyed.add(new Object[] {call(f, xs.get(i), i, null), xs.get(i)});
    }
    keyed.sort((a, b) -> desc ? Values.compare(b[0], a[0], "<") : Values.compare(a[0], b[0], "<"));
    List<Object> out = new ArrayList<>(keyed.size());
    for (Object[] k : keyed) {
      out.add(k[1]);
    }
    return out;
  }

  public Object reduce(Object l, Object p) {
    List<?> xs = list(l, "reduce", 1);
    if (xs.isEmpty()) {
      throw new EvalError("reduce() of an empty list needs an initial value");
    }
    return reduceImpl(xs, predicate(p, "reduce"), xs.get(0), 1);
  }

  public Object reduce(Object l, Object p, Object initial) {
    return reduceImpl(list(l, "reduce", 1), predicate(p, "reduce"), initial, 0);
  }

  private Object reduceImpl(List<?> xs, JexlScript f, Object acc, int from) {
    for (int i = from; i < xs.size(); i++) {
      acc = call(f, xs.get(i), i, acc);
      if (acc instanceof String) {
        charge(((String) acc).length());
      }
    }
    return acc;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Kargo functions

  public Object quote(Object v) {
    if (v instanceof String) {
      return charged(Strings.goQuote((String) v));
    }
    return unsafeQuote(v);
  }

  public Object unsafeQuote(Object v) {
    return charged("\"" + Json.compact(v, engine.maxSize) + "\"");
  }

  public Object asJSON(Object v) {
    return charged("\"" + Json.pretty(v, engine.maxSize) + "\n\"");
  }

  public Object asYAML(Object v) {
    return charged("\"" + Yaml.write(v) + "\"");
  }

  public Object semverParse(Object v) {
    String s = v instanceof SemanticVersion ? ((SemanticVersion) v).original() : str(v, "semverParse", 0);
    try {
      return SemanticVersion.parse(s);
    } catch (IllegalArgumentException e) {
      throw new EvalError("semverParse(): " + e.getMessage());
    }
  }

  public Object semverDiff(Object a, Object b) {
    SemanticVersion x = a instanceof SemanticVersion ? (SemanticVersion) a
        : SemanticVersion.parseOrNull(str(a, "semverDiff", 1));
    SemanticVersion y = b instanceof SemanticVersion ? (SemanticVersion) b
        : SemanticVersion.parseOrNull(str(b, "semverDiff", 2));
    if (x == null || y == null) {
      return "Incomparable";
    }
    if (x.major() != y.major()) {
      return "Major";
    }
    if (x.minor() != y.minor()) {
      return "Minor";
    }
    if (x.patch() != y.patch()) {
      return "Patch";
    }
    if (!x.metadata().equals(y.metadata())) {
      return "Metadata";
    }
    return "None";
  }

  public Object shellQuote(Object v) {
    String s;
    if (v == null) {
      s = "";
    } else if (v instanceof String) {
      s = (String) v;
    } else {
      s = v instanceof Map || Values.isList(v) ? Json.compact(v, engine.maxSize) : Strings.goString(v);
    }
    return charged(Strings.shellQuote(s));
  }

  private StepStatusView statusView(String fn) {
    return env.statusView().orElseThrow(() -> new EvalError(fn + "() is not available here: the status "
        + "functions success(), failure(), always() and status() work in step conditions (if) and config, "
        + "not in vars"));
  }

  public Object success() {
    return !statusView("success").anyFailed();
  }

  public Object failure() {
    return statusView("failure").anyFailed();
  }

  public Object always() {
    statusView("always");
    return true;
  }

  public Object status(Object alias) {
    String a = str(alias, "status", 0);
    if (a.isEmpty()) {
      throw new EvalError("status(): the step alias must not be empty");
    }
    String s = statusView("status").status(a);
    return s == null ? "" : s;
  }

  private Object secretMap(String fn, Object name, ResourceScope scope) {
    String n = str(name, fn, 0);
    SecretSource source = env.secrets();
    Map<String, String> found = source.find(n, scope);
    SecretMasker masker = env.masker();
    Map<String, Object> out = new LinkedHashMap<>();
    if (found != null && !found.isEmpty()) {
      readSecret = true;
      found.forEach((k, v) -> {
        // A value too short to mask safely is not registered (it would hide its letters everywhere).
        masker.registerIfMaskable(v);
        out.put(k, v);
      });
    }
    return Collections.unmodifiableMap(out);
  }

  public Object secret(Object name) {
    return secretMap("secret", name, ResourceScope.PROJECT);
  }

  public Object sharedSecret(Object name) {
    return secretMap("sharedSecret", name, ResourceScope.SHARED);
  }

  private Object configMapOf(String fn, Object name, ResourceScope scope) {
    ConfigMapSource source = env.configMaps();
    Map<String, String> found = source.find(str(name, fn, 0), scope);
    return found == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<String, Object>(found));
  }

  public Object configMap(Object name) {
    return configMapOf("configMap", name, ResourceScope.PROJECT);
  }

  public Object sharedConfigMap(Object name) {
    return configMapOf("sharedConfigMap", name, ResourceScope.SHARED);
  }

  private FreightLookup freight(String fn) {
    return env.freight().orElseThrow(() -> new EvalError(fn + "() is not available: this host has no freight "
        + "lookup (ExpressionEnvironment.Builder.freight)"));
  }

  private static Object lookup(String fn, java.util.function.Supplier<Object> call) {
    try {
      return Values.normalize(call.get());
    } catch (IllegalArgumentException e) {
      throw new EvalError(fn + "(): " + e.getMessage(), e);
    } catch (EvalError e) {
      throw e;
    } catch (RuntimeException e) {
      throw new EvalError(fn + "() failed: " + e.getMessage(), e);
    }
  }

  public Object warehouse(Object name) {
    FreightLookup f = freight("warehouse");
    String n = str(name, "warehouse", 0);
    if (n.isEmpty()) {
      throw new EvalError("warehouse() expects a non-empty name");
    }
    return lookup("warehouse", () -> f.warehouse(n));
  }

  public Object commitFrom(Object repo) {
    return commitFrom(repo, null);
  }

  public Object commitFrom(Object repo, Object origin) {
    FreightLookup f = freight("commitFrom");
    String r = str(repo, "commitFrom", 1);
    return lookup("commitFrom", () -> f.commitFrom(r, origin));
  }

  public Object imageFrom(Object repo) {
    return imageFrom(repo, null);
  }

  public Object imageFrom(Object repo, Object origin) {
    FreightLookup f = freight("imageFrom");
    String r = str(repo, "imageFrom", 1);
    return lookup("imageFrom", () -> f.imageFrom(r, origin));
  }

  public Object chartFrom(Object repo) {
    return chartFrom3(repo, null, null);
  }

  public Object chartFrom(Object repo, Object nameOrOrigin) {
    if (nameOrOrigin instanceof String) {
      return chartFrom3(repo, nameOrOrigin, null);
    }
    return chartFrom3(repo, null, nameOrOrigin);
  }

  public Object chartFrom(Object repo, Object name, Object origin) {
    return chartFrom3(repo, name, origin);
  }

  private Object chartFrom3(Object repo, Object name, Object origin) {
    FreightLookup f = freight("chartFrom");
    String r = str(repo, "chartFrom", 1);
    String n = name == null ? null : str(name, "chartFrom", 2);
    return lookup("chartFrom", () -> f.chartFrom(r, n, origin));
  }

  public Object freightMetadata(Object name) {
    FreightLookup f = freight("freightMetadata");
    String n = str(name, "freightMetadata", 0);
    return lookup("freightMetadata", () -> f.freightMetadata(n));
  }

  public Object stageMetadata(Object name) {
    FreightLookup f = freight("stageMetadata");
    String n = str(name, "stageMetadata", 0);
    return lookup("stageMetadata", () -> f.stageMetadata(n));
  }

  /** A CharSequence that checks the deadline while a regular expression scans it. */
  private static final class DeadlineCharSequence implements CharSequence {
    private final String s;
    private final Functions f;
    private int reads;

    DeadlineCharSequence(String s, Functions f) {
      this.s = s;
      this.f = f;
    }

    @Override
    public int length() {
      return s.length();
    }

    @Override
    public char charAt(int index) {
      if ((++reads & 0xffff) == 0) {
        f.tick();
      }
      return s.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return s.subSequence(start, end);
    }

    @Override
    public String toString() {
      return s;
    }
  }
}
