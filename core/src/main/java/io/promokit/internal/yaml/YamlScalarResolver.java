package io.promokit.internal.yaml;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * How SnakeYAML should type plain scalars so that it agrees with the document loader (Jackson's YAML parser)
 * and with go-yaml v2 as Kubernetes and Kargo read YAML: YAML 1.1 booleans ({@code yes/no/on/off/true/false}
 * in three casings), integers (decimal, {@code 0x}, leading-zero octal, {@code 0b}, {@code _} separators),
 * floats (including {@code .inf} and {@code .nan}), nulls ({@code ~}, {@code null}, empty) and {@code <<}
 * merge keys. Unlike SnakeYAML's default, timestamps stay strings (as Kargo's YAML-to-JSON conversion
 * leaves them) and there are no base-60 numbers ({@code 1:30} is a string). Read-only after construction,
 * so one instance may serve every thread.
 */
public final class YamlScalarResolver extends Resolver {

  /** Integers without the base-60 form. */
  static final Pattern INT = Pattern.compile("^(?:[-+]?0b_*[0-1]+[0-1_]*|[-+]?0_*[0-7]+[0-7_]*"
      + "|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x_*[0-9a-fA-F]+[0-9a-fA-F_]*)$");

  /** Floats without the base-60 form. */
  static final Pattern FLOAT = Pattern.compile("^(?:[-+]?(?:\\.[0-9]+|[0-9_]+(?:\\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
      + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");

  @Override
  protected void addImplicitResolvers() {
    addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
    // INT before FLOAT: "1" is an integer.
    addImplicitResolver(Tag.INT, INT, "-+0123456789");
    addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
    addImplicitResolver(Tag.MERGE, MERGE, "<");
    addImplicitResolver(Tag.NULL, NULL, "~nN\0");
    addImplicitResolver(Tag.NULL, EMPTY, null);
  }
}
