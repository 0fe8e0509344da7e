package io.promokit.expressions.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The bounds on one expression's text, checked before it is compiled: its length, how deep it nests, and
 * how many parts it has. They keep every later stage (the walks over the tree, JEXL's own parser and
 * interpreter, which recurse once per level) within a thread's stack, so a hostile expression fails with a
 * clear error instead of a StackOverflowError.
 */
final class Limits {

  /** expr-lang's own bound on the parts of an expression (its {@code conf.DefaultMaxNodes}). */
  static final int MAX_NODES = 10_000;

  private final int maxLength;
  private final int maxDepth;

  Limits(int maxLength, int maxDepth) {
    this.maxLength = maxLength;
    this.maxDepth = maxDepth;
  }

  int maxDepth() {
    return maxDepth;
  }

  /** Checks the length of an expression's text (without its delimiters). */
  void checkLength(String text) {
    if (text.length() > maxLength) {
      throw new SyntaxError("", "the expression has " + text.length() + " characters, more than the limit of "
          + maxLength + " (ExpressionResolver.Builder.maxExpressionLength)", 0);
    }
  }

  static SyntaxError tooDeep(int maxDepth, int offset) {
    return new SyntaxError("", "the expression is nested more than " + maxDepth + " levels deep, the limit "
        + "(ExpressionResolver.Builder.maxNestingDepth)", offset);
  }

  /**
   * Checks the depth and size of a parsed tree without recursion (the parser bounds its own recursion, but
   * builds member chains, pipes and comparison chains in loops, which can nest deeper than it recursed).
   */
  void checkTree(Ast.Node root) {
    Deque<Ast.Node> nodes = new ArrayDeque<>();
    Deque<Integer> depths = new ArrayDeque<>();
    nodes.push(root);
    depths.push(1);
    int count = 0;
    while (!nodes.isEmpty()) {
      Ast.Node n = nodes.pop();
      int depth = depths.pop();
      if (depth > maxDepth) {
        throw tooDeep(maxDepth, n.start());
      }
      // A series counts as many parts as the binary operators it stands for, as expr-lang counts them.
      count += n instanceof Ast.Series s ? s.ops().size() : 1;
      if (count > MAX_NODES) {
        throw new SyntaxError("", "the expression has more than " + MAX_NODES + " parts, the limit expr-lang "
            + "also sets", n.start());
      }
      // A predicate becomes a JEXL lambda, which costs JEXL about twice the stack of other levels.
      int childDepth = depth + (n instanceof Ast.Predicate ? 2 : 1);
      for (Ast.Node child : Ast.children(n)) {
        nodes.push(child);
        depths.push(childDepth);
      }
    }
  }
}
