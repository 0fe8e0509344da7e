package io.promokit.internal.yaml;

import io.promokit.documents.SourceLocation;

/**
 * A node of a YAML or JSON document that knows where it was written. Read with {@link YamlTreeReader}; bind
 * it to a model with {@link YamlValue} and {@link YamlObject}.
 */
public sealed interface YamlNode permits YamlMap, YamlList, YamlScalar {

  /** Where the node starts (for a mapping: its first key, or its opening brace). */
  SourceLocation location();

  /** How many nodes it holds once aliases are expanded (itself included), to refuse alias bombs. */
  long expandedSize();

  /** What the node is, for messages: {@code a mapping}, {@code a list}, {@code the string "x"}, ... */
  String describe();

  /**
   * The node as plain Java values: maps keep their key order; numbers stay numbers ({@link Long},
   * {@link java.math.BigInteger}, {@link Double} or {@link java.math.BigDecimal}, never losing a digit);
   * strings stay strings. Maps and lists are unmodifiable; they may hold nulls.
   */
  Object toPlain();
}
