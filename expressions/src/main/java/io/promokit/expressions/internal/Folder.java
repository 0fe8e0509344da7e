package io.promokit.expressions.internal;

import io.promokit.expressions.internal.Ast.Binary;
import io.promokit.expressions.internal.Ast.Call;
import io.promokit.expressions.internal.Ast.Chain;
import io.promokit.expressions.internal.Ast.Cond;
import io.promokit.expressions.internal.Ast.ListLit;
import io.promokit.expressions.internal.Ast.Lit;
import io.promokit.expressions.internal.Ast.MapLit;
import io.promokit.expressions.internal.Ast.Member;
import io.promokit.expressions.internal.Ast.MethodCall;
import io.promokit.expressions.internal.Ast.Node;
import io.promokit.expressions.internal.Ast.Predicate;
import io.promokit.expressions.internal.Ast.Series;
import io.promokit.expressions.internal.Ast.Slice;
import io.promokit.expressions.internal.Ast.Unary;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The constant folding of expr-lang's optimizer that changes what an expression does: a logical operator
 * with a literal operand is decided at compile time ({@code x and false} is false and {@code x} is never
 * evaluated, {@code true and x} is {@code x}'s value as it is), after folding {@code !}/{@code not} of a bool
 * literal, a sign on a number literal, and {@code ==} between two literals of one kind. Folding arithmetic
 * is left to run time, where it gives the same value (or the same error).
 */
final class Folder {
  private Folder() {}

  static Node fold(Node n) {
    if (n instanceof Unary u) {
      return unary(u, fold(u.operand()));
    }
    if (n instanceof Series s) {
      List<Node> operands = new ArrayList<>(s.operands().size());
      for (Node operand : s.operands()) {
        operands.add(fold(operand));
      }
      return series(s, operands);
    }
    if (n instanceof Binary b) {
      return new Binary(b.op(), fold(b.left()), fold(b.right()), b.start(), b.end());
    }
    if (n instanceof Member m) {
      return new Member(fold(m.object()), fold(m.key()), m.optional(), m.start(), m.end());
    }
    if (n instanceof Slice s) {
      return new Slice(fold(s.object()), foldOrNull(s.from()), foldOrNull(s.to()), s.start(), s.end());
    }
    if (n instanceof Call c) {
      return new Call(c.name(), foldAll(c.args()), c.start(), c.end());
    }
    if (n instanceof Predicate p) {
      return new Predicate(fold(p.body()), p.depth(), p.start(), p.end());
    }
    if (n instanceof MethodCall m) {
      return new MethodCall(fold(m.object()), m.name(), foldAll(m.args()), m.optional(), m.start(), m.end());
    }
    if (n instanceof Cond c) {
      return new Cond(fold(c.cond()), foldOrNull(c.whenTrue()), fold(c.whenFalse()), c.start(), c.end());
    }
    if (n instanceof ListLit l) {
      return new ListLit(foldAll(l.items()), l.start(), l.end());
    }
    if (n instanceof MapLit m) {
      return new MapLit(foldAll(m.keys()), foldAll(m.values()), m.start(), m.end());
    }
    if (n instanceof Chain c) {
      return new Chain(fold(c.inner()), c.start(), c.end());
    }
    return n;
  }

  /**
   * A whole expression that is integer or string arithmetic on literals ({@code 1 + 2}, {@code 2 * 3 - 1},
   * {@code "a" + "b"}), computed now with the arithmetic evaluation uses, so it gives the same value; null
   * when the expression is anything else or the arithmetic fails (it then fails at run time, as before).
   */
  static Lit constantArithmetic(Node n, Engine engine) {
    Object v = constantValue(n, engine);
    return v == null ? null : new Lit(v, n.start(), n.end());
  }

  private static Object constantValue(Node n, Engine engine) {
    if (n instanceof Lit lit) {
      Object v = lit.value();
      return v instanceof Long || v instanceof BigInteger || v instanceof String ? v : null;
    }
    if (!(n instanceof Series s) || !(s.group().equals("+") || s.group().equals("*"))) {
      return null;
    }
    Object acc = constantValue(s.operands().get(0), engine);
    try {
      for (int i = 0; acc != null && i < s.ops().size(); i++) {
        Object next = constantValue(s.operands().get(i + 1), engine);
        if (next == null) {
          return null;
        }
        switch (s.ops().get(i)) {
          case "+" -> acc = engine.arithmetic().add(acc, next);
          case "-" -> acc = engine.arithmetic().subtract(acc, next);
          case "*" -> acc = engine.arithmetic().multiply(acc, next);
          default -> acc = null;
        }
      }
    } catch (RuntimeException e) {
      return null;
    }
    return acc instanceof Long || acc instanceof BigInteger || acc instanceof String ? acc : null;
  }

  private static Node foldOrNull(Node n) {
    return n == null ? null : fold(n);
  }

  private static List<Node> foldAll(List<Node> nodes) {
    List<Node> out = new ArrayList<>(nodes.size());
    for (Node n : nodes) {
      out.add(fold(n));
    }
    return out;
  }

  private static Node unary(Unary u, Node operand) {
    if (operand instanceof Lit lit) {
      Object v = lit.value();
      switch (u.op()) {
        case "!": case "not":
          if (v instanceof Boolean b) {
            return new Lit(!b, u.start(), u.end());
          }
          break;
        case "-":
          if (v instanceof Long x) {
            return new Lit(x == Long.MIN_VALUE ? BigInteger.valueOf(x).negate() : -x, u.start(), u.end());
          }
          if (v instanceof BigInteger x) {
            return new Lit(Values.narrow(x.negate()), u.start(), u.end());
          }
          if (v instanceof Double x) {
            return new Lit(-x, u.start(), u.end());
          }
          break;
        default:
          if (v instanceof Long || v instanceof BigInteger || v instanceof Double) {
            return new Lit(v, u.start(), u.end());
          }
      }
    }
    return new Unary(u.op(), operand, u.start(), u.end());
  }

  private static Node series(Series s, List<Node> operands) {
    switch (s.group()) {
      case "&&":
        return logical(s, operands, false);
      case "||":
        return logical(s, operands, true);
      case "==":
        return equality(s, operands);
      default:
        return new Series(s.group(), s.ops(), operands, s.start(), s.end());
    }
  }

  /**
   * A run of {@code &&} ({@code decisive} false) or {@code ||} ({@code decisive} true): a literal of the
   * decisive value decides it; the other literal drops out, leaving the remaining operands as they are.
   */
  private static Node logical(Series s, List<Node> operands, boolean decisive) {
    List<Node> kept = new ArrayList<>();
    for (Node operand : operands) {
      if (operand instanceof Lit lit && lit.value() instanceof Boolean b) {
        if (b == decisive) {
          return new Lit(decisive, s.start(), s.end());
        }
        continue;
      }
      kept.add(operand);
    }
    if (kept.isEmpty()) {
      return new Lit(!decisive, s.start(), s.end());
    }
    if (kept.size() == 1) {
      return kept.get(0);
    }
    List<String> ops = new ArrayList<>();
    for (int i = 1; i < kept.size(); i++) {
      ops.add(s.ops().get(0));
    }
    return new Series(s.group(), ops, kept, s.start(), s.end());
  }

  /** {@code ==} between two int, two string or two bool literals, from the left while it applies. */
  private static Node equality(Series s, List<Node> operands) {
    Node left = operands.get(0);
    int i = 0;
    while (i < s.ops().size() && s.ops().get(i).equals("==") && left instanceof Lit a
        && operands.get(i + 1) instanceof Lit b && sameKind(a.value(), b.value())) {
      left = new Lit(Values.equal(a.value(), b.value()), s.start(), b.end());
      i++;
    }
    if (i == s.ops().size()) {
      return left;
    }
    List<Node> rest = new ArrayList<>();
    rest.add(left);
    rest.addAll(operands.subList(i + 1, operands.size()));
    return new Series(s.group(), s.ops().subList(i, s.ops().size()), rest, s.start(), s.end());
  }

  private static boolean sameKind(Object a, Object b) {
    boolean intA = a instanceof Long || a instanceof BigInteger;
    boolean intB = b instanceof Long || b instanceof BigInteger;
    return (intA && intB) || (a instanceof String && b instanceof String)
        || (a instanceof Boolean && b instanceof Boolean);
  }
}
