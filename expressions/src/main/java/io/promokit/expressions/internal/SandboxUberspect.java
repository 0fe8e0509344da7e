package io.promokit.expressions.internal;

import java.util.Iterator;
import java.util.List;
import org.apache.commons.jexl3.JexlArithmetic;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlOperator;
import org.apache.commons.jexl3.introspection.JexlMethod;
import org.apache.commons.jexl3.introspection.JexlPropertyGet;
import org.apache.commons.jexl3.introspection.JexlPropertySet;
import org.apache.commons.jexl3.introspection.JexlUberspect;

/**
 * The sandbox's introspection: a whitelist, not a blacklist. Property reads work on maps, lists and strings
 * only (through {@link Access}); method calls resolve only on the resolver's own {@link Functions}
 * namespace; constructors, property writes, iterators and class lookups never resolve. Everything else an
 * expression might reach in the JVM is therefore out of reach, whatever JEXL syntax is fed in.
 */
final class SandboxUberspect implements JexlUberspect {

  private final JexlUberspect delegate;

  SandboxUberspect(JexlUberspect delegate) {
    this.delegate = delegate;
  }

  /** Reads one member; one instance per key, cached by JEXL on the syntax node. */
  private static final class MemberGet implements JexlPropertyGet {
    private final Object key;

    MemberGet(Object key) {
      this.key = key;
    }

    @Override
    public Object invoke(Object obj) {
      return Access.get(obj, key, "value");
    }

    @Override
    public Object tryInvoke(Object obj, Object k) {
      if (Access.isPlain(obj, k)) {
        return Access.get(obj, k, "value");
      }
      return JexlEngine.TRY_FAILED;
    }

    @Override
    public boolean tryFailed(Object rval) {
      return rval == JexlEngine.TRY_FAILED;
    }

    @Override
    public boolean isCacheable() {
      return true;
    }
  }

  @Override
  public JexlPropertyGet getPropertyGet(List<PropertyResolver> resolvers, Object obj, Object identifier) {
    return getPropertyGet(obj, identifier);
  }

  @Override
  public JexlPropertyGet getPropertyGet(Object obj, Object identifier) {
    return Access.isPlain(obj, identifier) ? new MemberGet(identifier) : null;
  }

  @Override
  public JexlPropertySet getPropertySet(List<PropertyResolver> resolvers, Object obj, Object identifier,
      Object arg) {
    return null;
  }

  @Override
  public JexlPropertySet getPropertySet(Object obj, Object identifier, Object arg) {
    return null;
  }

  @Override
  public JexlMethod getMethod(Object obj, String method, Object... args) {
    return obj instanceof Functions ? delegate.getMethod(obj, method, args) : null;
  }

  @Override
  public JexlMethod getConstructor(Object ctorHandle, Object... args) {
    return null;
  }

  @Override
  public Iterator<?> getIterator(Object obj) {
    return null;
  }

  @Override
  public Class<?> getClassByName(String className) {
    return null;
  }

  @Override
  public JexlArithmetic.Uberspect getArithmetic(JexlArithmetic arithmetic) {
    return null;
  }

  @Override
  public List<PropertyResolver> getResolvers(JexlOperator op, Object obj) {
    return delegate.getResolvers(op, obj);
  }

  @Override
  public ClassLoader getClassLoader() {
    return delegate.getClassLoader();
  }

  @Override
  public void setClassLoader(ClassLoader loader) {
    // the sandbox never loads classes
  }

  @Override
  public int getVersion() {
    return delegate.getVersion();
  }
}
