package io.promokit.expressions.internal;

import java.util.List;

/** The syntax tree of one expr-lang expression. Offsets are within the expression text. */
final class Ast {
  private Ast() {}

  sealed interface Node
      permits Lit, Ident, EnvRef, Pointer, Member, Slice, Call, Predicate, MethodCall, Unary, Binary, Cond,
          ListLit, MapLit, Chain {
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

  /** {@code cond ? a : b}; {@code a} is null for the short form {@code cond ?: b}. */
  record Cond(Node cond, Node whenTrue, Node whenFalse, int start, int end) implements Node {}

  record ListLit(List<Node> items, int start, int end) implements Node {}

  record MapLit(List<Node> keys, List<Node> values, int start, int end) implements Node {}

  /** The end of a member chain holding an optional ({@code ?.}) step: a nil there makes the whole chain nil. */
  record Chain(Node inner, int start, int end) implements Node {}
}
