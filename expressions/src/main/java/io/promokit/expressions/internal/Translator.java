package io.promokit.expressions.internal;

import io.promokit.expressions.internal.Ast.Binary;
import io.promokit.expressions.internal.Ast.Call;
import io.promokit.expressions.internal.Ast.Chain;
import io.promokit.expressions.internal.Ast.Cond;
import io.promokit.expressions.internal.Ast.EnvRef;
import io.promokit.expressions.internal.Ast.Ident;
import io.promokit.expressions.internal.Ast.ListLit;
import io.promokit.expressions.internal.Ast.Lit;
import io.promokit.expressions.internal.Ast.MapLit;
import io.promokit.expressions.internal.Ast.Member;
import io.promokit.expressions.internal.Ast.MethodCall;
import io.promokit.expressions.internal.Ast.Node;
import io.promokit.expressions.internal.Ast.Pointer;
import io.promokit.expressions.internal.Ast.Predicate;
import io.promokit.expressions.internal.Ast.Series;
import io.promokit.expressions.internal.Ast.Slice;
import io.promokit.expressions.internal.Ast.Unary;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes an expr-lang syntax tree as JEXL source. Every operator application is wrapped in one pair of
 * parentheses and every operand is written atomic (a name, literal, call or parenthesised group), so
 * precedence is expr-lang's whatever JEXL's is, and JEXL nests one level per level of the tree (JEXL's
 * parser and interpreter recurse per level; the resolver's nesting limit keeps that within the stack). What JEXL lacks or does differently becomes a call into the {@link
 * Functions} namespace ({@code pk:}): {@code in}, {@code contains}, {@code matches}, {@code **}, ranges,
 * slices, optional chains, method calls, builtins and host functions. Predicates become JEXL lambdas
 * {@code ($it1, $ix1, $acc1) -> body}.
 *
 * <p>The hot path stays native: a member chain with constant keys rooted at a variable
 * ({@code vars.a}, {@code outputs['b'].c}) is emitted as JEXL property access. If such a chain fails (a null
 * in the middle), the resolver walks it again from the environment to name the null part; the chains and
 * their positions in the JEXL source are recorded for that.
 */
final class Translator {

  static final String NS = "pk";

  /**
   * Longest run of arithmetic or equality operators written as JEXL infix; JEXL interprets a run as nested
   * binary nodes, one stack level each, so longer runs become one {@code pk:_series} call, which applies
   * the same operators left to right in a loop.
   */
  static final int NATIVE_SERIES = 16;

  /** Words JEXL treats specially: never emitted as bare identifiers or {@code .name} properties. */
  private static final Set<String> JEXL_WORDS = Set.of(
      "or", "and", "eq", "ne", "lt", "gt", "le", "ge", "div", "mod", "not", "null", "true", "false", "new",
      "var", "let", "const", "do", "while", "break", "continue", "function", "return", "if", "else", "for",
      "empty", "size", "NaN", "in", "instanceof", "switch", "case", "default", "try", "catch", "finally",
      "throw", "import", "typeof", "this", "pragma", "pk");

  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** A native member chain: its span in the JEXL source, its root variable, and its steps. */
  record NativeChain(int jexlStart, int jexlEnd, Ident root, List<Member> steps) {}

  private final String text;
  private final Engine engine;
  private final StringBuilder out = new StringBuilder();
  private final List<NativeChain> chains = new ArrayList<>();

  private Translator(String text, Engine engine) {
    this.text = text;
    this.engine = engine;
  }

  /** The translation result: JEXL source and the native chains in it. */
  record Result(String jexl, List<NativeChain> chains) {}

  static Result translate(String text, Node root, Engine engine) {
    Translator t = new Translator(text, engine);
    t.emit(root);
    return new Result(t.out.toString(), Collections.unmodifiableList(t.chains));
  }

  static boolean jexlSafe(String name) {
    return IDENT.matcher(name).matches() && !JEXL_WORDS.contains(name);
  }

  private String textOf(Node n) {
    return text.substring(n.start(), n.end());
  }

  private void emit(Node n) {
    if (n instanceof Lit) {
      literal(((Lit) n).value());
    } else if (n instanceof Ident) {
      Ident id = (Ident) n;
      if (jexlSafe(id.name())) {
        out.append(id.name());
      } else {
        out.append(NS).append(":_var(");
        literal(id.name());
        out.append(')');
      }
    } else if (n instanceof EnvRef) {
      out.append(NS).append(":_env()");
    } else if (n instanceof Pointer) {
      Pointer p = (Pointer) n;
      out.append(p.name().isEmpty() ? "$it" : p.name().equals("index") ? "$ix" : "$acc").append(p.depth());
    } else if (n instanceof Member) {
      member((Member) n);
    } else if (n instanceof Slice) {
      Slice s = (Slice) n;
      out.append(NS).append(":_slice(");
      emit(s.object());
      out.append(", ");
      emitOrNull(s.from());
      out.append(", ");
      emitOrNull(s.to());
      out.append(", ");
      literal(textOf(s.object()));
      out.append(')');
    } else if (n instanceof Call) {
      call((Call) n);
    } else if (n instanceof Predicate) {
      Predicate p = (Predicate) n;
      int d = p.depth();
      out.append("($it").append(d).append(", $ix").append(d).append(", $acc").append(d).append(") -> (");
      emit(p.body());
      out.append(')');
    } else if (n instanceof MethodCall) {
      MethodCall m = (MethodCall) n;
      out.append(NS).append(m.optional() ? ":_om(" : ":_m(");
      emit(m.object());
      out.append(", ");
      literal(m.name());
      out.append(", ");
      literal(textOf(m.object()));
      for (Node a : m.args()) {
        out.append(", ");
        emit(a);
      }
      out.append(')');
    } else if (n instanceof Unary) {
      Unary u = (Unary) n;
      out.append(u.op().equals("not") ? "!" : u.op()).append('(');
      emit(u.operand());
      out.append(')');
    } else if (n instanceof Binary) {
      binary((Binary) n);
    } else if (n instanceof Series) {
      series((Series) n);
    } else if (n instanceof Cond) {
      Cond c = (Cond) n;
      out.append('(');
      emitUnprotected(c.cond());
      out.append(" ? ");
      if (c.whenTrue() == null) {
        out.append("true");
      } else {
        emit(c.whenTrue());
      }
      out.append(" : ");
      emit(c.whenFalse());
      out.append(')');
    } else if (n instanceof ListLit) {
      out.append('[');
      List<Node> items = ((ListLit) n).items();
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        emit(items.get(i));
      }
      out.append(']');
    } else if (n instanceof MapLit) {
      MapLit m = (MapLit) n;
      if (m.keys().isEmpty()) {
        out.append("{:}");
        return;
      }
      out.append('{');
      for (int i = 0; i < m.keys().size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        Node k = m.keys().get(i);
        if (k instanceof Lit && ((Lit) k).value() instanceof String) {
          literal(((Lit) k).value());
        } else {
          out.append('(').append(NS).append(":_key(");
          emit(k);
          out.append("))");
        }
        out.append(" : ");
        emit(m.values().get(i));
      }
      out.append('}');
    } else if (n instanceof Chain) {
      out.append(NS).append(":_endChain(");
      emit(((Chain) n).inner());
      out.append(')');
    } else {
      throw new IllegalStateException("unknown node " + n);
    }
  }

  /**
   * The left side of {@code ?:} or {@code ??}. JEXL turns an error in a variable or member read there into
   * null ("ternary protection"); expr-lang reports it ({@code n.x ?? 1} with {@code n} nil fails), so such a
   * read goes through an identity call, which JEXL does not protect.
   */
  private void emitUnprotected(Node n) {
    if (n instanceof Ident || n instanceof Member) {
      out.append(NS).append(":_v(");
      emit(n);
      out.append(')');
    } else {
      emit(n);
    }
  }

  private void emitOrNull(Node n) {
    if (n == null) {
      out.append("null");
    } else {
      emit(n);
    }
  }

  private void literal(Object v) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof Boolean) {
      out.append(v);
    } else if (v instanceof String) {
      String s = (String) v;
      out.append('\'');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\'' || c == '\\') {
          out.append('\\').append(c);
        } else if (c < 0x20 || c > 0x7e) {
          out.append(String.format("\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
      out.append('\'');
    } else if (v instanceof Long) {
      long x = (Long) v;
      if (x == Long.MIN_VALUE) {
        out.append("(-9223372036854775808H)"); // its magnitude is no long; negating the big integer narrows back
      } else if (x < 0) {
        out.append("(-").append(-x).append("L)");
      } else {
        out.append(x).append('L');
      }
    } else if (v instanceof BigInteger) {
      BigInteger b = (BigInteger) v;
      if (b.signum() < 0) {
        out.append("(-").append(b.negate()).append("H)");
      } else {
        out.append(b).append('H');
      }
    } else if (v instanceof Double) {
      double d = (Double) v;
      String plain = BigDecimal.valueOf(Math.abs(d)).toPlainString();
      if (!plain.contains(".")) {
        plain = plain + ".0";
      }
      // The sign bit, not d < 0: -0.0 keeps its sign (string(-0.0) is "-0" in Go).
      out.append(Math.copySign(1.0, d) < 0 ? "(-" + plain + "d)" : plain + "d");
    } else {
      throw new IllegalStateException("unknown literal " + v);
    }
  }

  private static boolean isNative(Member m) {
    if (m.optional() || !(m.key() instanceof Lit)) {
      return false;
    }
    Object k = ((Lit) m.key()).value();
    if (!(k instanceof String) && !(k instanceof Long)) {
      return false;
    }
    Node o = m.object();
    if (o instanceof Ident) {
      return jexlSafe(((Ident) o).name());
    }
    return o instanceof Member && isNative((Member) o);
  }

  private void member(Member m) {
    if (isNative(m)) {
      List<Member> steps = new ArrayList<>();
      Node o = m;
      while (o instanceof Member) {
        steps.add((Member) o);
        o = ((Member) o).object();
      }
      Collections.reverse(steps);
      Ident root = (Ident) o;
      int start = out.length();
      out.append(root.name());
      for (Member step : steps) {
        Object k = ((Lit) step.key()).value();
        if (k instanceof String && jexlSafe((String) k)) {
          out.append('.').append((String) k);
        } else if (k instanceof String) {
          out.append('[');
          literal(k);
          out.append(']');
        } else {
          long idx = (Long) k;
          out.append(idx < 0 ? "[-" + (-idx) + "]" : "[" + idx + "]");
        }
      }
      chains.add(new NativeChain(start, out.length(), root, List.copyOf(steps)));
      return;
    }
    out.append(NS).append(m.optional() ? ":_oget(" : ":_get(");
    emit(m.object());
    out.append(", ");
    emit(m.key());
    out.append(", ");
    literal(textOf(m.object()));
    out.append(')');
  }

  private void call(Call c) {
    String name = c.name();
    Catalog.Builtin b = Catalog.builtin(name);
    int argc = c.args().size();
    if (b != null) {
      if (argc < b.minArgs() || (b.maxArgs() >= 0 && argc > b.maxArgs())) {
        throw new SyntaxError(name + "() expects " + b.expectation() + ", but got " + argc, c.start());
      }
      out.append(NS).append(':').append(b.method()).append('(');
      for (int i = 0; i < argc; i++) {
        if (i > 0) {
          out.append(", ");
        }
        emit(c.args().get(i));
      }
      out.append(')');
      return;
    }
    Integer host = engine.hostIndex.get(name);
    if (host != null) {
      out.append(NS).append(":_h(").append(host.intValue());
      for (Node a : c.args()) {
        out.append(", ");
        emit(a);
      }
      out.append(')');
      return;
    }
    String unsupported = Catalog.unsupported(name);
    if (unsupported != null) {
      throw new SyntaxError(unsupported + " in promokit", c.start());
    }
    throw new SyntaxError("unknown function " + name + "()" + suggestion(name), c.start());
  }

  private String suggestion(String name) {
    List<String> candidates = new ArrayList<>();
    Catalog.allNames().forEach(candidates::add);
    candidates.addAll(engine.hostIndex.keySet());
    String best = Suggestions.closest(name, candidates);
    return best == null ? "" : " (did you mean " + best + "()?)";
  }

  private void binary(Binary b) {
    String op = b.op();
    String fn;
    switch (op) {
      case "<": case ">": case "<=": case ">=":
        out.append('(');
        emit(b.left());
        out.append(' ').append(op).append(' ');
        emit(b.right());
        out.append(')');
        return;
      case "in": fn = "_in"; break;
      case "contains": fn = "_contains"; break;
      case "startsWith": fn = "_startsWith"; break;
      case "endsWith": fn = "_endsWith"; break;
      case "matches": fn = "_matches"; break;
      case "**": case "^": fn = "_pow"; break;
      case "..": fn = "_range"; break;
      default:
        throw new SyntaxError("the operator " + op + " is not supported", b.start());
    }
    out.append(NS).append(':').append(fn).append('(');
    emit(b.left());
    out.append(", ");
    emit(b.right());
    out.append(')');
  }

  private void series(Series s) {
    List<Node> operands = s.operands();
    switch (s.group()) {
      case "??":
        coalesce(operands, 0, operands.size());
        return;
      case "&&": case "||":
        // JEXL keeps a run of && (or ||) as one node and evaluates it in a loop, short-circuiting.
        infix(s);
        return;
      default:
        // JEXL chains + - * / % but not == and != (a == b == c does not parse).
        int nativeMax = s.group().equals("==") ? 2 : NATIVE_SERIES;
        if (operands.size() <= nativeMax) {
          infix(s);
          return;
        }
        out.append(NS).append(":_series(");
        literal(String.join(" ", s.ops()));
        for (Node operand : operands) {
          out.append(", ");
          emit(operand);
        }
        out.append(')');
    }
  }

  private void infix(Series s) {
    out.append('(');
    emit(s.operands().get(0));
    for (int i = 0; i < s.ops().size(); i++) {
      out.append(' ').append(s.ops().get(i)).append(' ');
      emit(s.operands().get(i + 1));
    }
    out.append(')');
  }

  /**
   * {@code a ?? b ?? c} as a balanced tree: {@code ??} is associative, and JEXL nests a run of it one level
   * per operator.
   */
  private void coalesce(List<Node> operands, int from, int to) {
    if (to - from == 1) {
      if (to == operands.size()) {
        emit(operands.get(from));
      } else {
        emitUnprotected(operands.get(from));
      }
      return;
    }
    int mid = (from + to) >>> 1;
    out.append('(');
    coalesce(operands, from, mid);
    out.append(" ?? ");
    coalesce(operands, mid, to);
    out.append(')');
  }
}
