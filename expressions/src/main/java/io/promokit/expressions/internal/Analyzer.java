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
import io.promokit.expressions.internal.Ast.Predicate;
import io.promokit.expressions.internal.Ast.Series;
import io.promokit.expressions.internal.Ast.Slice;
import io.promokit.expressions.internal.Ast.Unary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds what an expression reads and calls, for offline validation: the static variable paths
 * ({@code outputs.build.tag} and {@code outputs['build'].tag} both give {@code [outputs, build, tag]}; an
 * integer index gives its decimal text; a dynamic key ends the path and is analysed on its own) and the
 * names of the functions called. Paths rooted in a predicate's element ({@code #}, {@code .field}) are not
 * variables and are left out.
 */
final class Analyzer {
  private final Set<List<String>> references = new LinkedHashSet<>();
  private final Set<String> functions = new LinkedHashSet<>();
  private boolean wholeEnvironment;

  private Analyzer() {}

  /**
   * @param wholeEnvironment whether the expression reads {@code $env} other than by a static path, so that
   *     any variable may be read
   */
  record Result(Set<List<String>> references, Set<String> functions, boolean wholeEnvironment) {}

  static Result analyze(Node root) {
    Analyzer a = new Analyzer();
    a.walk(root);
    return new Result(a.references, a.functions, a.wholeEnvironment);
  }

  /** The static path of a node, or null when it is not a variable path. Empty for {@code $env}. */
  private static List<String> path(Node n) {
    if (n instanceof Ident) {
      List<String> p = new ArrayList<>();
      p.add(((Ident) n).name());
      return p;
    }
    if (n instanceof EnvRef) {
      return new ArrayList<>();
    }
    if (n instanceof Chain) {
      return path(((Chain) n).inner());
    }
    if (n instanceof Member) {
      Member m = (Member) n;
      if (!(m.key() instanceof Lit)) {
        return null;
      }
      Object k = ((Lit) m.key()).value();
      if (!(k instanceof String) && !(k instanceof Long)) {
        return null;
      }
      List<String> p = path(m.object());
      if (p == null) {
        return null;
      }
      p.add(String.valueOf(k));
      return p;
    }
    return null;
  }

  private void walk(Node n) {
    if (n == null) {
      return;
    }
    if (n instanceof Ident || n instanceof Member || n instanceof EnvRef || n instanceof Chain) {
      List<String> p = path(n);
      if (p != null) {
        if (p.isEmpty()) {
          wholeEnvironment = true;
        } else {
          references.add(List.copyOf(p));
        }
        return;
      }
      if (n instanceof Chain) {
        walk(((Chain) n).inner());
      } else if (n instanceof Member) {
        walk(((Member) n).object());
        walk(((Member) n).key());
      }
      return;
    }
    if (n instanceof Slice) {
      Slice s = (Slice) n;
      walk(s.object());
      walk(s.from());
      walk(s.to());
    } else if (n instanceof Call) {
      functions.add(((Call) n).name());
      ((Call) n).args().forEach(this::walk);
    } else if (n instanceof Predicate) {
      walk(((Predicate) n).body());
    } else if (n instanceof MethodCall) {
      walk(((MethodCall) n).object());
      ((MethodCall) n).args().forEach(this::walk);
    } else if (n instanceof Unary) {
      walk(((Unary) n).operand());
    } else if (n instanceof Binary) {
      walk(((Binary) n).left());
      walk(((Binary) n).right());
    } else if (n instanceof Series) {
      ((Series) n).operands().forEach(this::walk);
    } else if (n instanceof Cond) {
      walk(((Cond) n).cond());
      walk(((Cond) n).whenTrue());
      walk(((Cond) n).whenFalse());
    } else if (n instanceof ListLit) {
      ((ListLit) n).items().forEach(this::walk);
    } else if (n instanceof MapLit) {
      ((MapLit) n).keys().forEach(this::walk);
      ((MapLit) n).values().forEach(this::walk);
    }
  }
}
