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
import io.promokit.expressions.internal.Lexer.Kind;
import io.promokit.expressions.internal.Lexer.Token;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses expr-lang syntax into an {@link Ast}. Operator precedence, comparison chains ({@code 1 < x < 3}),
 * {@code not in}, the pipe, predicates with {@code #} and {@code .field}, optional chaining and the
 * {@code ??} mixing rule follow expr-lang. {@code let} and {@code ;} sequences are rejected as unsupported.
 *
 * <p>The parser recurses once per level of nesting (parentheses, arguments, operands of tighter operators)
 * and stops at the resolver's nesting limit, so no input can exhaust the stack here; runs of
 * left-associative operators are collected in a loop into one flat {@link Series}.
 */
final class Parser {

  private static final Map<String, Integer> BINARY = Map.ofEntries(
      Map.entry("|", 0),
      Map.entry("or", 10), Map.entry("||", 10),
      Map.entry("and", 15), Map.entry("&&", 15),
      Map.entry("==", 20), Map.entry("!=", 20), Map.entry("<", 20), Map.entry(">", 20),
      Map.entry(">=", 20), Map.entry("<=", 20), Map.entry("in", 20), Map.entry("matches", 20),
      Map.entry("contains", 20), Map.entry("startsWith", 20), Map.entry("endsWith", 20),
      Map.entry("..", 25),
      Map.entry("+", 30), Map.entry("-", 30),
      Map.entry("*", 60), Map.entry("/", 60), Map.entry("%", 60),
      Map.entry("**", 100), Map.entry("^", 100),
      Map.entry("??", 500));

  private static final Map<String, Integer> UNARY = Map.of("not", 50, "!", 50, "-", 90, "+", 90);

  private static final Set<String> NEGATABLE = Set.of("in", "matches", "contains", "startsWith", "endsWith");

  private static final Set<String> COMPARISONS = Set.of("<", ">", "<=", ">=");

  private static final int EXPR = 1;
  private static final int PRED = 2;
  private static final int OPTIONAL = 4;

  /** Builtins whose arguments include a predicate (closure), and the shape of their arguments. */
  static final Map<String, int[]> PREDICATES = Map.ofEntries(
      Map.entry("all", new int[] {EXPR, PRED}),
      Map.entry("none", new int[] {EXPR, PRED}),
      Map.entry("any", new int[] {EXPR, PRED}),
      Map.entry("one", new int[] {EXPR, PRED}),
      Map.entry("filter", new int[] {EXPR, PRED}),
      Map.entry("map", new int[] {EXPR, PRED}),
      Map.entry("count", new int[] {EXPR, PRED | OPTIONAL}),
      Map.entry("sum", new int[] {EXPR, PRED | OPTIONAL}),
      Map.entry("find", new int[] {EXPR, PRED}),
      Map.entry("findIndex", new int[] {EXPR, PRED}),
      Map.entry("findLast", new int[] {EXPR, PRED}),
      Map.entry("findLastIndex", new int[] {EXPR, PRED}),
      Map.entry("groupBy", new int[] {EXPR, PRED}),
      Map.entry("sortBy", new int[] {EXPR, PRED, EXPR | OPTIONAL}),
      Map.entry("reduce", new int[] {EXPR, PRED, EXPR | OPTIONAL}));

  private final List<Token> tokens;
  private int index;
  private Token cur;
  private int predicateDepth;
  private int nesting;
  private final int maxNesting;

  private Parser(String src, int maxNesting) {
    this.tokens = Lexer.lex(src);
    this.cur = tokens.get(0);
    this.maxNesting = maxNesting;
  }

  /**
   * Parses a whole expression.
   *
   * @param maxNesting how deep parentheses, calls and operands may nest
   * @throws SyntaxError
   */
  static Node parse(String src, int maxNesting) {
    Parser p = new Parser(src, maxNesting);
    if (p.cur.kind() == Kind.EOF) {
      throw new SyntaxError("empty expression", 0);
    }
    Node node = p.parseSequence();
    if (p.cur.kind() != Kind.EOF) {
      throw p.unexpected();
    }
    return node;
  }

  private void next() {
    if (index < tokens.size() - 1) {
      index++;
    }
    cur = tokens.get(index);
  }

  private Token peek() {
    return tokens.get(Math.min(index + 1, tokens.size() - 1));
  }

  private SyntaxError unexpected() {
    if (cur.kind() == Kind.EOF) {
      return new SyntaxError("unexpected end of expression", cur.start());
    }
    return new SyntaxError("unexpected " + cur.describe(), cur.start());
  }

  private Token expect(Kind kind, String value) {
    if (cur.kind() != kind || (value != null && !cur.value().equals(value))) {
      SyntaxError e = unexpected();
      String wanted = value != null ? "\"" + value + "\"" : kind == Kind.IDENT ? "a name" : kind.name();
      throw new SyntaxError(e.getMessage() + ", expected " + wanted, e.offset);
    }
    Token t = cur;
    next();
    return t;
  }

  private Node parseSequence() {
    Node node = parseExpression(0);
    if (cur.isOp(";")) {
      if (peek().kind() == Kind.EOF) {
        next();
        return node;
      }
      throw new SyntaxError("expression sequences (;) are not supported", cur.start());
    }
    return node;
  }

  private Node parseExpression(int precedence) {
    if (++nesting > maxNesting) {
      throw Limits.tooDeep(maxNesting, cur.start());
    }
    try {
      return parseExpressionInner(precedence);
    } finally {
      nesting--;
    }
  }

  private Node parseExpressionInner(int precedence) {
    if (precedence == 0 && cur.isOp("let")) {
      throw new SyntaxError("variable declarations (let) are not supported", cur.start());
    }
    if (precedence == 0 && cur.isOp("if")) {
      return parseIf();
    }
    Node left = parsePrimary();
    String prev = "";
    SeriesBuilder series = null;
    while (cur.kind() == Kind.OPERATOR) {
      Token op = cur;
      boolean negate = false;
      if (op.isOp("not")) {
        Token after = peek();
        if (after.kind() == Kind.OPERATOR && NEGATABLE.contains(after.value())) {
          if (BINARY.get(after.value()) < precedence) {
            break;
          }
          next();
          op = cur;
          negate = true;
        } else {
          next();
          throw unexpected();
        }
      }
      Integer p = BINARY.get(op.value());
      if (p == null || p < precedence) {
        break;
      }
      next();
      String group = negate ? null : Ast.seriesGroup(op.value());
      if (series != null && !series.group.equals(group)) {
        left = series.build();
        series = null;
      }
      if (op.value().equals("|")) {
        Token name = expect(Kind.IDENT, null);
        List<Node> args = new ArrayList<>();
        args.add(left);
        left = parseCall(name, args);
        prev = "|";
        continue;
      }
      if (prev.equals("??") && !op.value().equals("??")) {
        throw new SyntaxError("operator (" + op.value()
            + ") and coalesce expressions (??) cannot be mixed; wrap either in parentheses", op.start());
      }
      if (COMPARISONS.contains(op.value())) {
        left = parseComparison(left, op, p);
        prev = op.value();
        continue;
      }
      boolean rightAssoc = op.value().equals("**") || op.value().equals("^");
      Node right = parseExpression(rightAssoc ? p : p + 1);
      if (group != null) {
        if (series == null) {
          series = new SeriesBuilder(group, left);
        }
        series.add(op.value(), right);
      } else {
        left = new Binary(op.value(), left, right, left.start(), right.end());
        if (negate) {
          left = new Unary("not", left, left.start(), left.end());
        }
      }
      prev = op.value();
    }
    if (series != null) {
      left = series.build();
    }
    if (precedence == 0) {
      left = parseConditional(left);
    }
    return left;
  }

  /** Collects a run of operators of one group; a Series of the same group on the left is extended. */
  private static final class SeriesBuilder {
    final String group;
    final List<String> ops = new ArrayList<>();
    final List<Node> operands = new ArrayList<>();

    SeriesBuilder(String group, Node first) {
      this.group = group;
      if (first instanceof Series s && s.group().equals(group)) {
        ops.addAll(s.ops());
        operands.addAll(s.operands());
      } else {
        operands.add(first);
      }
    }

    void add(String op, Node operand) {
      ops.add(op.equals("and") ? "&&" : op.equals("or") ? "||" : op);
      operands.add(operand);
    }

    Series build() {
      return new Series(group, ops, operands, operands.get(0).start(), operands.get(operands.size() - 1).end());
    }
  }

  private Node parseIf() {
    int start = cur.start();
    next();
    Node cond = parseExpression(0);
    expect(Kind.BRACKET, "{");
    Node whenTrue = parseSequence();
    expect(Kind.BRACKET, "}");
    expect(Kind.OPERATOR, "else");
    Node whenFalse;
    if (cur.isOp("if")) {
      whenFalse = parseIf();
    } else {
      expect(Kind.BRACKET, "{");
      whenFalse = parseSequence();
      expect(Kind.BRACKET, "}");
    }
    return new Cond(cond, whenTrue, whenFalse, start, whenFalse.end());
  }

  private Node parseConditional(Node node) {
    while (cur.isOp("?")) {
      next();
      if (cur.isOp(":")) {
        next();
        Node whenFalse = parseExpression(0);
        node = new Cond(node, null, whenFalse, node.start(), whenFalse.end());
      } else {
        Node whenTrue = parseExpression(0);
        expect(Kind.OPERATOR, ":");
        Node whenFalse = parseExpression(0);
        node = new Cond(node, whenTrue, whenFalse, node.start(), whenFalse.end());
      }
    }
    return node;
  }

  /** {@code a < b < c} is {@code a < b && b < c} (b evaluated once per use, as in expr-lang). */
  private Node parseComparison(Node left, Token op, int precedence) {
    SeriesBuilder all = null;
    while (true) {
      Node right = parseExpression(precedence + 1);
      Node cmp = new Binary(op.value(), left, right, left.start(), right.end());
      if (all == null) {
        all = new SeriesBuilder("&&", cmp);
      } else {
        all.add("&&", cmp);
      }
      left = right;
      op = cur;
      if (!(op.kind() == Kind.OPERATOR && COMPARISONS.contains(op.value()))) {
        return all.operands.size() == 1 ? all.operands.get(0) : all.build();
      }
      next();
    }
  }

  private Node parsePrimary() {
    Token tok = cur;
    if (tok.kind() == Kind.OPERATOR && UNARY.containsKey(tok.value())) {
      next();
      Node operand = parseExpression(UNARY.get(tok.value()));
      return parsePostfix(new Unary(tok.value(), operand, tok.start(), operand.end()));
    }
    if (tok.isBracket("(")) {
      next();
      Node inner = parseSequence();
      expect(Kind.BRACKET, ")");
      return parsePostfix(inner);
    }
    if (predicateDepth > 0 && (tok.isOp("#") || tok.isOp("."))) {
      String name = "";
      int end = tok.end();
      if (tok.isOp("#")) {
        next();
        if (cur.kind() == Kind.IDENT && cur.start() == tok.end()) {
          name = cur.value();
          end = cur.end();
          next();
          if (!name.equals("index") && !name.equals("acc")) {
            throw new SyntaxError("unknown predicate variable #" + name + " (use #, #index or #acc)", tok.start());
          }
        }
      }
      return parsePostfix(new Pointer(name, predicateDepth, tok.start(), end));
    }
    if (tok.isOp("#")) {
      throw new SyntaxError("# can only be used inside a predicate, such as filter(list, # > 1)", tok.start());
    }
    if (tok.isOp("::")) {
      next();
      Token name = expect(Kind.IDENT, null);
      return parsePostfix(parseCall(name, new ArrayList<>()));
    }
    return parseSecondary();
  }

  private Node parseSecondary() {
    Token tok = cur;
    Node node;
    switch (tok.kind()) {
      case IDENT:
        next();
        switch (tok.value()) {
          // As in expr-lang, these literals (and numbers) take no postfix: nil.x and true?.y are syntax errors.
          case "true":
            return new Lit(Boolean.TRUE, tok.start(), tok.end());
          case "false":
            return new Lit(Boolean.FALSE, tok.start(), tok.end());
          case "nil":
          case "null":
            return new Lit(null, tok.start(), tok.end());
          default:
            if (cur.isBracket("(")) {
              node = parseCall(tok, new ArrayList<>());
            } else if (tok.value().equals("$env")) {
              node = new EnvRef(tok.start(), tok.end());
            } else if (tok.value().indexOf('$') >= 0) {
              throw new SyntaxError("unknown name " + tok.value(), tok.start());
            } else {
              node = new Ident(tok.value(), tok.start(), tok.end());
            }
        }
        break;
      case NUMBER:
        next();
        return new Lit(number(tok), tok.start(), tok.end());
      case STRING:
        next();
        node = new Lit(tok.value(), tok.start(), tok.end());
        break;
      default:
        if (tok.isBracket("[")) {
          node = parseList();
        } else if (tok.isBracket("{")) {
          node = parseMap();
        } else {
          throw unexpected();
        }
    }
    return parsePostfix(node);
  }

  private static Object number(Token tok) {
    String text = tok.value().replace("_", "");
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    try {
      if (lower.startsWith("0x") || lower.startsWith("0o") || lower.startsWith("0b")) {
        int radix = lower.charAt(1) == 'x' ? 16 : lower.charAt(1) == 'o' ? 8 : 2;
        return Values.narrow(new BigInteger(text.substring(2), radix));
      }
      if (lower.contains(".") || lower.contains("e")) {
        double d = Double.parseDouble(text);
        if (Double.isInfinite(d)) {
          throw new SyntaxError("float literal " + tok.value() + " is too large", tok.start());
        }
        return d;
      }
      return Values.narrow(new BigInteger(text));
    } catch (NumberFormatException e) {
      throw new SyntaxError("invalid number literal " + tok.value(), tok.start());
    }
  }

  private Node parseCall(Token name, List<Node> args) {
    int[] shape = PREDICATES.get(name.value());
    if (shape == null) {
      List<Node> all = parseArguments(args);
      return new Call(name.value(), all, name.start(), tokens.get(index - 1).end());
    }
    expect(Kind.BRACKET, "(");
    int piped = args.size();
    for (int i = piped; i < shape.length; i++) {
      int arg = shape[i];
      if ((arg & OPTIONAL) != 0) {
        if (cur.isBracket(")")) {
          break;
        }
      } else if (cur.isBracket(")")) {
        throw new SyntaxError(name.value() + "() expects at least "
            + countRequired(shape) + " arguments", cur.start());
      }
      if (i > piped) {
        expect(Kind.OPERATOR, ",");
      }
      args.add((arg & PRED) != 0 ? parsePredicate() : parseExpression(0));
    }
    if (cur.isOp(",")) {
      next();
    }
    Token close = expect(Kind.BRACKET, ")");
    return new Call(name.value(), args, name.start(), close.end());
  }

  private static int countRequired(int[] shape) {
    int n = 0;
    for (int a : shape) {
      if ((a & OPTIONAL) == 0) {
        n++;
      }
    }
    return n;
  }

  private List<Node> parseArguments(List<Node> args) {
    int offset = args.size();
    expect(Kind.BRACKET, "(");
    while (!cur.isBracket(")")) {
      if (args.size() > offset) {
        expect(Kind.OPERATOR, ",");
      }
      if (cur.isBracket(")")) {
        break;
      }
      args.add(parseExpression(0));
    }
    expect(Kind.BRACKET, ")");
    return args;
  }

  private Node parsePredicate() {
    Token start = cur;
    boolean braces = cur.isBracket("{");
    if (braces) {
      next();
    }
    predicateDepth++;
    Node body;
    int depth = predicateDepth;
    try {
      if (braces) {
        body = parseSequence();
      } else {
        body = parseExpression(0);
        if (cur.isOp(";")) {
          throw new SyntaxError("wrap the predicate in braces { and }", cur.start());
        }
      }
    } finally {
      predicateDepth--;
    }
    int end = body.end();
    if (braces) {
      end = expect(Kind.BRACKET, "}").end();
    }
    return new Predicate(body, depth, start.start(), end);
  }

  private Node parseList() {
    Token open = expect(Kind.BRACKET, "[");
    List<Node> items = new ArrayList<>();
    while (!cur.isBracket("]")) {
      if (!items.isEmpty()) {
        expect(Kind.OPERATOR, ",");
        if (cur.isBracket("]")) {
          break;
        }
      }
      items.add(parseExpression(0));
    }
    Token close = expect(Kind.BRACKET, "]");
    return new ListLit(items, open.start(), close.end());
  }

  private Node parseMap() {
    Token open = expect(Kind.BRACKET, "{");
    List<Node> keys = new ArrayList<>();
    List<Node> values = new ArrayList<>();
    while (!cur.isBracket("}")) {
      if (!keys.isEmpty()) {
        expect(Kind.OPERATOR, ",");
        if (cur.isBracket("}")) {
          break;
        }
      }
      Node key;
      if (cur.kind() == Kind.NUMBER || cur.kind() == Kind.STRING || cur.kind() == Kind.IDENT) {
        key = new Lit(cur.value(), cur.start(), cur.end());
        next();
      } else if (cur.isBracket("(")) {
        key = parseExpression(0);
      } else {
        throw new SyntaxError("a map key must be a quoted string, a number, a name, or an expression in "
            + "parentheses, but found " + cur.describe(), cur.start());
      }
      expect(Kind.OPERATOR, ":");
      keys.add(key);
      values.add(parseExpression(0));
    }
    Token close = expect(Kind.BRACKET, "}");
    return new MapLit(keys, values, open.start(), close.end());
  }

  private Node parsePostfix(Node node) {
    boolean chain = false;
    while (cur.kind() == Kind.OPERATOR || cur.kind() == Kind.BRACKET) {
      boolean optional = cur.isOp("?.");
      if (cur.isOp(".") || optional) {
        next();
        if (optional && cur.isBracket("[")) {
          chain = true;
          node = parseIndex(node, true);
          continue;
        }
        Token prop = cur;
        if (prop.kind() != Kind.IDENT && !(prop.kind() == Kind.OPERATOR && isWord(prop.value()))) {
          throw new SyntaxError("expected a name after \".\"", prop.start());
        }
        next();
        chain |= optional;
        if (cur.isBracket("(")) {
          List<Node> args = parseArguments(new ArrayList<>());
          node = new MethodCall(node, prop.value(), args, optional, node.start(), tokens.get(index - 1).end());
        } else {
          node = new Member(node, new Lit(prop.value(), prop.start(), prop.end()), optional,
              node.start(), prop.end());
        }
      } else if (cur.isBracket("[")) {
        node = parseIndex(node, false);
      } else {
        break;
      }
    }
    return chain ? new Chain(node, node.start(), node.end()) : node;
  }

  private static boolean isWord(String s) {
    if (s.isEmpty() || !Lexer.isIdentStart(s.charAt(0))) {
      return false;
    }
    return s.chars().allMatch(c -> Lexer.isIdentPart((char) c));
  }

  private Node parseIndex(Node node, boolean optional) {
    expect(Kind.BRACKET, "[");
    if (cur.isOp(":")) {
      next();
      Node to = cur.isBracket("]") ? null : parseExpression(0);
      Token close = expect(Kind.BRACKET, "]");
      return new Slice(node, null, to, node.start(), close.end());
    }
    Node from = parseExpression(0);
    if (cur.isOp(":")) {
      next();
      Node to = cur.isBracket("]") ? null : parseExpression(0);
      Token close = expect(Kind.BRACKET, "]");
      return new Slice(node, from, to, node.start(), close.end());
    }
    Token close = expect(Kind.BRACKET, "]");
    return new Member(node, from, optional, node.start(), close.end());
  }
}
