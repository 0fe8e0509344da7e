package io.promokit.expressions.internal;

import java.util.ArrayList;
import java.util.List;

/** The syntax tree of one expr-lang expression. Offsets are within the expression text. */
final class Ast {
  private Ast() {}

  sealed interface Node
      permits Lit, Ident, EnvRef, Pointer, Member, Slice, Call, Predicate, MethodCall, Unary, Binary, Series,
          Cond, ListLit, MapLit, Chain {
    int start();

    int end();
  }

  /** A literal: String, Long, BigInteger, Double, Boolean or null. */
  record Lit(Object value, int start, int end) implements Node {}

  /** A root variable ({@code vars}, {@code outputs}, ...). */
  record Ident(String name, int start, int end) implements Node {}

  /** {@code $env}: all root variables as a map. */
  record EnvRef(int start, int end) implements Node {}

  /** {@code #} (name ""), {@code #index} or {@code #acc} inside a predicate; depth is the predicate nesting. */
  record Pointer(String name, int depth, int start, int end) implements Node {}

  /** {@code obj.key}, {@code obj[key]}, {@code obj?.key}. */
  record Member(Node object, Node key, boolean optional, int start, int end) implements Node {}

  /** {@code obj[from:to]}; from and to may be null. */
  record Slice(Node object, Node from, Node to, int start, int end) implements Node {}

  /** A function call {@code name(args)}. */
  record Call(String name, List<Node> args, int start, int end) implements Node {}

  /** A closure argument of filter/map/...; depth is its nesting level (1 for the outermost). */
  record Predicate(Node body, int depth, int start, int end) implements Node {}

  /** {@code obj.Name(args)} or {@code obj?.Name(args)}. */
  record MethodCall(Node object, String name, List<Node> args, boolean optional, int start, int end)
      implements Node {}

  record Unary(String op, Node operand, int start, int end) implements Node {}

  record Binary(String op, Node left, Node right, int start, int end) implements Node {}

  /**
   * A left-associative run of operators of one group ({@code a + b - c}, {@code a && b && c}), evaluated
   * left to right as nested binary operators would be. Kept flat so that a long chain does not make the
   * tree (and every walk over it) deep. {@code ops.get(i)} stands between operands {@code i} and
   * {@code i + 1}; {@code and}/{@code or} are stored as {@code &&}/{@code ||}.
   */
  record Series(String group, List<String> ops, List<Node> operands, int start, int end) implements Node {
    Series {
      ops = List.copyOf(ops);
      operands = List.copyOf(operands);
    }
  }

  /** The operator groups that form a {@link Series}, or null for an operator that does not. */
  static String seriesGroup(String op) {
    switch (op) {
      case "+": case "-": return "+";
      case "*": case "/": case "%": return "*";
      case "==": case "!=": return "==";
      case "&&": case "and": return "&&";
      case "||": case "or": return "||";
      case "??": return "??";
      default: return null;
    }
  }

  /** {@code cond ? a : b}; {@code a} is null for the short form {@code cond ?: b}. */
  record Cond(Node cond, Node whenTrue, Node whenFalse, int start, int end) implements Node {}

  record ListLit(List<Node> items, int start, int end) implements Node {}

  record MapLit(List<Node> keys, List<Node> values, int start, int end) implements Node {}

  /** The end of a member chain holding an optional ({@code ?.}) step: a nil there makes the whole chain nil. */
  record Chain(Node inner, int start, int end) implements Node {}

  /** The direct children of a node, in source order (nulls left out). */
  static List<Node> children(Node n) {
    List<Node> out = new ArrayList<>();
    if (n instanceof Member m) {
      add(out, m.object(), m.key());
    } else if (n instanceof Slice s) {
      add(out, s.object(), s.from(), s.to());
    } else if (n instanceof Call c) {
      out.addAll(c.args());
    } else if (n instanceof Predicate p) {
      add(out, p.body());
    } else if (n instanceof MethodCall m) {
      add(out, m.object());
      out.addAll(m.args());
    } else if (n instanceof Unary u) {
      add(out, u.operand());
    } else if (n instanceof Binary b) {
      add(out, b.left(), b.right());
    } else if (n instanceof Series s) {
      out.addAll(s.operands());
    } else if (n instanceof Cond c) {
      add(out, c.cond(), c.whenTrue(), c.whenFalse());
    } else if (n instanceof ListLit l) {
      out.addAll(l.items());
    } else if (n instanceof MapLit m) {
      for (int i = 0; i < m.keys().size(); i++) {
        add(out, m.keys().get(i), m.values().get(i));
      }
    } else if (n instanceof Chain c) {
      add(out, c.inner());
    }
    return out;
  }

  private static void add(List<Node> out, Node... nodes) {
    for (Node x : nodes) {
      if (x != null) {
        out.add(x);
      }
    }
  }
}
