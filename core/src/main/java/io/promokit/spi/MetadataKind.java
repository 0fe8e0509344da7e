package io.promokit.spi;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The Kargo objects whose metadata {@code set-metadata} writes: a Stage or a Freight. */
public enum MetadataKind {
  /** A Stage of the promotion's project. */
  STAGE("Stage"),
  /** A piece of Freight of the promotion's project. */
  FREIGHT("Freight");

  private final String word;

  MetadataKind(String word) {
    this.word = word;
  }

  /** The kind as templates and the record write it: {@code Stage} or {@code Freight}. */
  public String word() {
    return word;
  }

  /**
   * The kind a template names.
   *
   * @throws IllegalArgumentException naming the kinds there are
   */
  public static MetadataKind fromWord(String word) {
    for (MetadataKind kind : values()) {
      if (kind.word.equals(word)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown kind \"" + word + "\" (known: "
        + Arrays.stream(values()).map(MetadataKind::word).collect(Collectors.joining(", ")) + ")");
  }

  @Override
  public String toString() {
    return word;
  }
}
