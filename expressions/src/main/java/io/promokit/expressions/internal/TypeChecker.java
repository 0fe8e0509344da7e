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
import io.promokit.expressions.internal.Ast.Pointer;
import io.promokit.expressions.internal.Ast.Predicate;
import io.promokit.expressions.internal.Ast.Series;
import io.promokit.expressions.internal.Ast.Slice;
import io.promokit.expressions.internal.Ast.Unary;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What expr-lang's checker rejects before an expression runs. Kargo compiles expressions without declaring
 * the environment, so variables have no known type; literals, operators and built-in functions do, and a
 * mismatch among them ({@code "" == 0}, {@code true || 0}, {@code upper(1)}, a predicate of {@code count}
 * that gives a number) is an error at compile time, worded as expr-lang words it. Anything involving a
 * value of unknown type is left to run time, as in expr-lang. The one rule kept wider on purpose: lists
 * may be added with {@code +} (a promokit extension).
 */
final class TypeChecker {

  /** The static kinds of value. */
  enum Kind { UNKNOWN, NIL, BOOL, INT, FLOAT, STRING, LIST, MAP, TIME, DURATION }

  /** A static type; {@code elem} is the element type of a list or map (UNKNOWN when mixed or unknown). */
  record Type(Kind kind, Type elem) {
    static final Type UNKNOWN = new Type(Kind.UNKNOWN, null);
    static final Type NIL = new Type(Kind.NIL, null);
    static final Type BOOL = new Type(Kind.BOOL, null);
    static final Type INT = new Type(Kind.INT, null);
    static final Type FLOAT = new Type(Kind.FLOAT, null);
    static final Type STRING = new Type(Kind.STRING, null);
    static final Type TIME = new Type(Kind.TIME, null);
    static final Type DURATION = new Type(Kind.DURATION, null);
    static final Type ANY_LIST = list(UNKNOWN);
    static final Type ANY_MAP = new Type(Kind.MAP, UNKNOWN);

    static Type list(Type elem) {
      return new Type(Kind.LIST, elem);
    }

    boolean is(Kind k) {
      return kind == k;
    }

    boolean unknown() {
      return kind == Kind.UNKNOWN;
    }

    boolean number() {
      return kind == Kind.INT || kind == Kind.FLOAT;
    }

    Type element() {
      return elem == null ? UNKNOWN : elem;
    }

    /** Whether this is unknown or one of the kinds. */
    boolean unknownOr(Kind... kinds) {
      if (unknown()) {
        return true;
      }
      for (Kind k : kinds) {
        if (kind == k) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String toString() {
      return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The result types of the built-in functions that always return one kind of value. */
  private static final Map<String, Type> RESULTS = Map.ofEntries(
      Map.entry("len", Type.INT), Map.entry("upper", Type.STRING), Map.entry("lower", Type.STRING),
      Map.entry("trim", Type.STRING), Map.entry("trimPrefix", Type.STRING), Map.entry("trimSuffix", Type.STRING),
      Map.entry("split", Type.list(Type.STRING)), Map.entry("splitAfter", Type.list(Type.STRING)),
      Map.entry("join", Type.STRING), Map.entry("replace", Type.STRING), Map.entry("repeat", Type.STRING),
      Map.entry("indexOf", Type.INT), Map.entry("lastIndexOf", Type.INT), Map.entry("hasPrefix", Type.BOOL),
      Map.entry("hasSuffix", Type.BOOL), Map.entry("keys", Type.ANY_LIST), Map.entry("values", Type.ANY_LIST),
      Map.entry("take", Type.ANY_LIST), Map.entry("reverse", Type.ANY_LIST), Map.entry("sort", Type.ANY_LIST),
      Map.entry("concat", Type.ANY_LIST), Map.entry("flatten", Type.ANY_LIST), Map.entry("uniq", Type.ANY_LIST),
      Map.entry("toPairs", Type.ANY_LIST), Map.entry("fromPairs", Type.ANY_MAP), Map.entry("int", Type.INT),
      Map.entry("float", Type.FLOAT), Map.entry("string", Type.STRING), Map.entry("type", Type.STRING),
      Map.entry("ceil", Type.FLOAT), Map.entry("floor", Type.FLOAT), Map.entry("round", Type.FLOAT),
      Map.entry("mean", Type.FLOAT), Map.entry("median", Type.FLOAT), Map.entry("toJSON", Type.STRING),
      Map.entry("toBase64", Type.STRING), Map.entry("fromBase64", Type.STRING), Map.entry("now", Type.TIME),
      Map.entry("duration", Type.DURATION), Map.entry("quote", Type.STRING), Map.entry("unsafeQuote", Type.STRING),
      Map.entry("asJSON", Type.STRING), Map.entry("asYAML", Type.STRING), Map.entry("semverDiff", Type.STRING),
      Map.entry("success", Type.BOOL), Map.entry("failure", Type.BOOL), Map.entry("always", Type.BOOL),
      Map.entry("status", Type.STRING), Map.entry("shellQuote", Type.STRING),
      // Kargo declares these as func(string) map[string]string.
      Map.entry("secret", new Type(Kind.MAP, Type.STRING)), Map.entry("sharedSecret", new Type(Kind.MAP, Type.STRING)),
      Map.entry("configMap", new Type(Kind.MAP, Type.STRING)),
      Map.entry("sharedConfigMap", new Type(Kind.MAP, Type.STRING)));

  /** Built-in functions whose every argument must be a string (Go's strings functions). */
  private static final Set<String> STRING_ARGUMENTS = Set.of("upper", "lower", "trim", "trimPrefix",
      "trimSuffix", "split", "splitAfter", "replace", "indexOf", "lastIndexOf", "hasPrefix", "hasSuffix");

  /** Predicate built-ins whose predicate must give a bool. */
  private static final Set<String> BOOLEAN_PREDICATES = Set.of("all", "none", "any", "one", "filter", "count",
      "find", "findIndex", "findLast", "findLastIndex");

  /** One predicate's scope: the type of {@code #} and which of {@code #index}, {@code #acc} exist. */
  private record Scope(Type element, boolean index, boolean acc) {}

  private final Deque<Scope> scopes = new ArrayDeque<>();

  private TypeChecker() {}

  /** @throws SyntaxError (a type error) at the first mismatch */
  static void check(Node root) {
    new TypeChecker().visit(root);
  }

  private static SyntaxError error(Node at, String message) {
    return SyntaxError.typeError(message, at.start());
  }

  private Type visit(Node n) {
    if (n instanceof Lit lit) {
      return literal(lit.value());
    }
    if (n instanceof Pointer p) {
      return pointer(p);
    }
    if (n instanceof Member m) {
      return member(m);
    }
    if (n instanceof Slice s) {
      return slice(s);
    }
    if (n instanceof Call c) {
      return call(c);
    }
    if (n instanceof MethodCall m) {
      visit(m.object());
      m.args().forEach(this::visit);
      return Type.UNKNOWN;
    }
    if (n instanceof Unary u) {
      return unary(u);
    }
    if (n instanceof Binary b) {
      return binary(b.op(), visit(b.left()), b.right(), b);
    }
    if (n instanceof Series s) {
      Type acc = visit(s.operands().get(0));
      for (int i = 0; i < s.ops().size(); i++) {
        acc = binary(s.ops().get(i), acc, s.operands().get(i + 1), s);
      }
      return acc;
    }
    if (n instanceof Cond c) {
      return conditional(c);
    }
    if (n instanceof ListLit l) {
      return listLiteral(l);
    }
    if (n instanceof MapLit m) {
      m.keys().forEach(this::visit);
      m.values().forEach(this::visit);
      return Type.ANY_MAP;
    }
    if (n instanceof Chain c) {
      return visit(c.inner());
    }
    if (n instanceof Predicate p) {
      return visit(p.body());
    }
    return Type.UNKNOWN; // variables and $env: their types are not declared
  }

  private static Type literal(Object v) {
    if (v == null) {
      return Type.NIL;
    }
    if (v instanceof Boolean) {
      return Type.BOOL;
    }
    if (v instanceof Long || v instanceof BigInteger) {
      return Type.INT;
    }
    if (v instanceof Double) {
      return Type.FLOAT;
    }
    return Type.STRING;
  }

  private Type pointer(Pointer p) {
    Scope scope = scopes.peek();
    if (scope == null) {
      return Type.UNKNOWN; // the parser allows pointers only inside predicates
    }
    switch (p.name()) {
      case "":
        return scope.element();
      case "index":
        if (scope.index()) {
          return Type.INT;
        }
        throw error(p, "unknown pointer #index (only map() and reduce() have it)");
      default:
        if (scope.acc()) {
          return Type.UNKNOWN;
        }
        throw error(p, "unknown pointer #acc (only reduce() has it)");
    }
  }

  private Type member(Member m) {
    Type base = visit(m.object());
    Type key = visit(m.key());
    if (base.unknown()) {
      return Type.UNKNOWN;
    }
    boolean name = m.key() instanceof Lit lit && lit.value() instanceof String;
    switch (base.kind()) {
      case MAP:
        if (!key.unknownOr(Kind.STRING)) {
          throw error(m.key(), "cannot use " + key + " to get an element from a map");
        }
        return base.element();
      case LIST:
        if (!key.unknownOr(Kind.INT)) {
          throw error(m.key(), "list elements can only be selected using an int (got " + key + ")");
        }
        return base.element();
      case TIME: case DURATION:
        return Type.UNKNOWN;
      default:
        if (name) {
          throw error(m, "type " + base + " has no field " + ((Lit) m.key()).value());
        }
        throw error(m, "type " + base + " cannot be indexed with " + key);
    }
  }

  private Type slice(Slice s) {
    Type base = visit(s.object());
    for (Node bound : new Node[] {s.from(), s.to()}) {
      if (bound != null) {
        Type t = visit(bound);
        if (!base.unknown() && !t.unknownOr(Kind.INT)) {
          throw error(bound, "non-integer slice index " + t);
        }
      }
    }
    if (base.unknownOr(Kind.STRING, Kind.LIST)) {
      return base;
    }
    throw error(s, "cannot slice " + base);
  }

  private Type unary(Unary u) {
    Type t = visit(u.operand());
    switch (u.op()) {
      case "!": case "not":
        if (t.unknownOr(Kind.BOOL)) {
          return Type.BOOL;
        }
        break;
      default:
        if (t.unknown() || t.number()) {
          return t;
        }
    }
    throw error(u, "invalid operation: " + u.op() + " (mismatched type " + t + ")");
  }

  private Type conditional(Cond c) {
    Type cond = visit(c.cond());
    if (!cond.unknownOr(Kind.BOOL)) {
      throw error(c.cond(), "non-bool expression (type " + cond + ") used as condition");
    }
    Type a = c.whenTrue() == null ? cond : visit(c.whenTrue());
    Type b = visit(c.whenFalse());
    if (a.is(Kind.NIL)) {
      return b;
    }
    if (b.is(Kind.NIL) || a.equals(b)) {
      return a;
    }
    return a.kind() == b.kind() ? new Type(a.kind(), Type.UNKNOWN) : Type.UNKNOWN;
  }

  private Type listLiteral(ListLit l) {
    // As expr-lang: when all items are of one kind, the list's element type is the last item's type.
    Type last = null;
    boolean same = true;
    for (Node item : l.items()) {
      Type t = visit(item);
      if (last != null && last.kind() != t.kind()) {
        same = false;
      }
      last = t;
    }
    return Type.list(same && last != null ? last : Type.UNKNOWN);
  }

  /** Both unknown, or one unknown and the other of one of the kinds (expr-lang's MaybeCompatible). */
  private static boolean maybe(Type l, Type r, Kind... kinds) {
    return (l.unknown() && r.unknownOr(kinds)) || (r.unknown() && l.unknownOr(kinds));
  }

  private static Type promote(Type l, Type r) {
    return l.is(Kind.FLOAT) || r.is(Kind.FLOAT) ? Type.FLOAT : Type.INT;
  }

  private static boolean comparable(Type l, Type r) {
    return l.unknown() || r.unknown() || l.is(Kind.NIL) || r.is(Kind.NIL) || (l.number() && r.number())
        || l.kind() == r.kind();
  }

  private Type binary(String op, Type l, Node rightNode, Node at) {
    if (op.equals("matches") && rightNode instanceof Lit lit && lit.value() instanceof String regex) {
      try {
        GoRegexp.compile(regex);
      } catch (EvalError e) {
        throw error(rightNode, e.getMessage());
      }
    }
    Type r = visit(rightNode);
    switch (op) {
      case "==": case "!=":
        if (comparable(l, r)) {
          return Type.BOOL;
        }
        break;
      case "&&": case "||":
        if ((l.is(Kind.BOOL) && r.is(Kind.BOOL)) || maybe(l, r, Kind.BOOL)) {
          return Type.BOOL;
        }
        break;
      case "<": case ">": case "<=": case ">=":
        if ((l.number() && r.number()) || (l.kind() == r.kind() && l.unknownOr(Kind.STRING, Kind.TIME,
            Kind.DURATION)) || maybe(l, r, Kind.INT, Kind.FLOAT, Kind.STRING, Kind.TIME, Kind.DURATION)) {
          return Type.BOOL;
        }
        break;
      case "+":
        if (l.number() && r.number()) {
          return promote(l, r);
        }
        if (l.kind() == r.kind() && (l.is(Kind.STRING) || l.is(Kind.DURATION))) {
          return l;
        }
        if (l.is(Kind.LIST) && r.is(Kind.LIST)) {
          return Type.ANY_LIST;
        }
        if ((l.is(Kind.TIME) && r.is(Kind.DURATION)) || (l.is(Kind.DURATION) && r.is(Kind.TIME))) {
          return Type.TIME;
        }
        if (maybe(l, r, Kind.INT, Kind.FLOAT, Kind.STRING, Kind.TIME, Kind.DURATION, Kind.LIST)) {
          return Type.UNKNOWN;
        }
        break;
      case "-":
        if (l.number() && r.number()) {
          return promote(l, r);
        }
        if (l.is(Kind.TIME) && r.is(Kind.TIME)) {
          return Type.DURATION;
        }
        if (l.is(Kind.TIME) && r.is(Kind.DURATION)) {
          return Type.TIME;
        }
        if (l.is(Kind.DURATION) && r.is(Kind.DURATION)) {
          return Type.DURATION;
        }
        if (maybe(l, r, Kind.INT, Kind.FLOAT, Kind.TIME, Kind.DURATION)) {
          return Type.UNKNOWN;
        }
        break;
      case "*":
        if (l.number() && r.number()) {
          return promote(l, r);
        }
        if ((l.number() || l.is(Kind.DURATION)) && (r.number() || r.is(Kind.DURATION))) {
          return Type.DURATION;
        }
        if (maybe(l, r, Kind.INT, Kind.FLOAT, Kind.DURATION)) {
          return Type.UNKNOWN;
        }
        break;
      case "/":
        if ((l.number() && r.number()) || maybe(l, r, Kind.INT, Kind.FLOAT)) {
          return Type.FLOAT;
        }
        break;
      case "**": case "^":
        if ((l.number() && r.number()) || maybe(l, r, Kind.INT, Kind.FLOAT)) {
          return Type.FLOAT;
        }
        break;
      case "%":
        if ((l.is(Kind.INT) && r.is(Kind.INT)) || maybe(l, r, Kind.INT)) {
          return Type.INT;
        }
        break;
      case "in":
        return in(l, r, at);
      case "matches": case "contains": case "startsWith": case "endsWith":
        if ((l.is(Kind.STRING) && r.is(Kind.STRING)) || maybe(l, r, Kind.STRING)) {
          return Type.BOOL;
        }
        break;
      case "..":
        if ((l.is(Kind.INT) && r.is(Kind.INT)) || maybe(l, r, Kind.INT)) {
          return Type.list(Type.INT);
        }
        break;
      case "??":
        if (l.is(Kind.NIL)) {
          return r;
        }
        if (r.is(Kind.NIL) || l.equals(r)) {
          return l;
        }
        return Type.UNKNOWN;
      default:
        return Type.UNKNOWN;
    }
    throw error(at, "invalid operation: " + op + " (mismatched types " + l + " and " + r + ")");
  }

  private static Type in(Type l, Type r, Node at) {
    if (r.is(Kind.MAP)) {
      if (!l.unknownOr(Kind.STRING)) {
        throw error(at, "cannot use " + l + " as type string in map key");
      }
      return Type.BOOL;
    }
    if (r.is(Kind.LIST)) {
      if (!comparable(l, r.element())) {
        throw error(at, "cannot use " + l + " as type " + r.element() + " in list");
      }
      return Type.BOOL;
    }
    if (r.unknown() || (l.unknown() && r.is(Kind.STRING))) {
      return Type.BOOL;
    }
    throw error(at, "invalid operation: in (mismatched types " + l + " and " + r + ")");
  }

  private Type call(Call c) {
    String name = c.name();
    List<Node> args = c.args();
    if (Parser.PREDICATES.containsKey(name)) {
      return predicateCall(c);
    }
    Type[] types = new Type[args.size()];
    for (int i = 0; i < args.size(); i++) {
      types[i] = visit(args.get(i));
    }
    if (Catalog.builtin(name) == null) {
      return Type.UNKNOWN; // a host function
    }
    if (STRING_ARGUMENTS.contains(name) || name.equals("repeat")) {
      for (int i = 0; i < types.length; i++) {
        Kind wanted = countArgument(name, i) ? Kind.INT : Kind.STRING;
        if (!types[i].unknownOr(wanted)) {
          throw error(args.get(i), "cannot use " + types[i] + " as argument (type "
              + wanted.name().toLowerCase(java.util.Locale.ROOT) + ") to call " + name + "()");
        }
      }
    }
    switch (name) {
      case "len":
        if (!types[0].unknownOr(Kind.STRING, Kind.LIST, Kind.MAP)) {
          throw error(c, "invalid argument for len (type " + types[0] + ")");
        }
        break;
      case "abs": case "ceil": case "floor": case "round":
        if (!types[0].unknown() && !types[0].number()) {
          throw error(c, "invalid argument for " + name + " (type " + types[0] + ")");
        }
        return name.equals("abs") ? types[0] : Type.FLOAT;
      case "max": case "min": case "mean": case "median":
        // As expr-lang: the first list or unknown argument ends the check; otherwise all must be numbers.
        boolean extreme = name.equals("max") || name.equals("min");
        for (Type t : types) {
          if (t.unknownOr(Kind.LIST)) {
            return extreme ? Type.UNKNOWN : Type.FLOAT;
          }
          if (!t.number()) {
            throw error(c, "invalid argument for " + name + " (type " + t + ")");
          }
        }
        return extreme ? types[0] : Type.FLOAT;
      case "first": case "last":
        // expr-lang checks these with Go types, where a list literal is []interface{}: the element is unknown.
        if (!types[0].unknownOr(Kind.LIST)) {
          throw error(c, "cannot get " + name + " element from " + types[0]);
        }
        return Type.UNKNOWN;
      case "reverse": case "sort": case "uniq": case "flatten": case "take": case "join": case "concat":
        for (int i = 0; i < (name.equals("concat") ? types.length : 1); i++) {
          if (!types[i].unknownOr(Kind.LIST)) {
            throw error(args.get(i), "cannot use " + types[i] + " as argument (type list) to call " + name + "()");
          }
        }
        break;
      case "keys": case "values": case "toPairs":
        if (!types[0].unknownOr(Kind.MAP)) {
          throw error(args.get(0), "cannot use " + types[0] + " as argument (type map) to call " + name + "()");
        }
        break;
      case "int": case "float":
        if (!types[0].unknownOr(Kind.INT, Kind.FLOAT, Kind.STRING)) {
          throw error(c, "invalid argument for " + name + " (type " + types[0] + ")");
        }
        break;
      default:
        break;
    }
    return RESULTS.getOrDefault(name, Type.UNKNOWN);
  }

  /** The int arguments among the string functions': repeat's count, split's and replace's limit. */
  private static boolean countArgument(String function, int index) {
    return (function.equals("repeat") && index == 1) || (function.startsWith("split") && index == 2)
        || (function.equals("replace") && index == 3);
  }

  private Type predicateCall(Call c) {
    String name = c.name();
    List<Node> args = c.args();
    Type collection = visit(args.get(0));
    if (!collection.unknownOr(Kind.LIST)) {
      throw error(args.get(0), "builtin " + name + " takes only a list (got " + collection + ")");
    }
    Type element = collection.element();
    Type body = Type.UNKNOWN;
    if (args.size() > 1) {
      boolean index = name.equals("map") || name.equals("reduce");
      scopes.push(new Scope(element, index, name.equals("reduce")));
      try {
        body = visit(args.get(1));
      } finally {
        scopes.pop();
      }
      for (int i = 2; i < args.size(); i++) {
        Type extra = visit(args.get(i));
        if (name.equals("sortBy") && !extra.unknownOr(Kind.STRING)) {
          throw error(args.get(i), "sortBy order argument must be a string (got " + extra + ")");
        }
      }
      if (BOOLEAN_PREDICATES.contains(name) && !body.unknownOr(Kind.BOOL)) {
        throw error(args.get(1), "predicate should return a bool (got " + body + ")");
      }
    }
    switch (name) {
      case "all": case "none": case "any": case "one":
        return Type.BOOL;
      case "filter": case "sortBy":
        return Type.list(element);
      case "map":
        return Type.list(body);
      case "count": case "findIndex": case "findLastIndex":
        return Type.INT;
      case "find": case "findLast":
        return element;
      case "sum":
        return args.size() > 1 ? body : element;
      case "groupBy":
        return Type.ANY_MAP;
      case "reduce":
        return body;
      default:
        return Type.UNKNOWN;
    }
  }
}
