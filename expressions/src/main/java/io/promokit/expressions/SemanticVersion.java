package io.promokit.expressions;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A semantic version, as returned by {@code semverParse()} in expressions. Immutable.
 *
 * <p>Java code uses Java names ({@link #major()}, {@link #incMinor()}, {@link #canonical()}, ...). Expressions call
 * the same operations by the Go names Kargo uses and EXPRESSIONS.md lists ({@code Major()}, {@code IncMinor()},
 * {@code String()}, {@code LessThan(v)}, ...: {@code semverParse(v).IncMinor().String()}), mapped to these methods by
 * the expression engine; they are the only methods an expression may call on any value.
 *
 * <p>Parsing is lenient in the way Kargo's is: a leading {@code v} is allowed and missing minor or patch
 * parts are zero ({@code v1.2} is 1.2.0). Prerelease and build metadata follow semver.org.
 */
public final class SemanticVersion implements Comparable<SemanticVersion> {

  private static final Pattern LENIENT = Pattern.compile(
      "v?([0-9]+)(?:\\.([0-9]+))?(?:\\.([0-9]+))?"
          + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?"
          + "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

  private final long major;
  private final long minor;
  private final long patch;
  private final String prerelease;
  private final String metadata;
  private final String original;

  private SemanticVersion(
      long major, long minor, long patch, String prerelease, String metadata, String original) {
    this.major = major;
    this.minor = minor;
    this.patch = patch;
    this.prerelease = prerelease;
    this.metadata = metadata;
    this.original = original;
  }

  /**
   * Parses a version leniently ({@code 1.2.3}, {@code v1.2}, {@code 1.2.3-rc.1+build.5}).
   *
   * @throws IllegalArgumentException when {@code text} is not a semantic version
   */
  public static SemanticVersion parse(String text) {
    Objects.requireNonNull(text, "version text must not be null");
    Matcher m = LENIENT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a valid semantic version");
    }
    String pre = m.group(4) == null ? "" : m.group(4);
    for (String part : pre.split("\\.", -1)) {
      if (part.length() > 1 && part.charAt(0) == '0' && part.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("\"" + text
            + "\" is not a valid semantic version: numeric prerelease parts must not start with 0");
      }
    }
    try {
      return new SemanticVersion(
          Long.parseLong(m.group(1)),
          m.group(2) == null ? 0 : Long.parseLong(m.group(2)),
          m.group(3) == null ? 0 : Long.parseLong(m.group(3)),
          pre,
          m.group(5) == null ? "" : m.group(5),
          text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not a valid semantic version: a part is too large");
    }
  }

  /** Like {@link #parse(String)}, but returns null for invalid text. */
  public static @Nullable SemanticVersion parseOrNull(@Nullable String text) {
    try {
      return text == null ? null : parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The major version. */
  public long major() {
    return major;
  }

  /** The minor version. */
  public long minor() {
    return minor;
  }

  /** The patch version. */
  public long patch() {
    return patch;
  }

  /** The prerelease part without the dash, {@code ""} when there is none. */
  public String prerelease() {
    return prerelease;
  }

  /** The build metadata without the plus, {@code ""} when there is none. */
  public String metadata() {
    return metadata;
  }

  /** The text this version was parsed from (a {@code v} prefix is kept on incremented versions). */
  public String original() {
    return original;
  }

  /** The next major version: minor and patch reset to 0, prerelease and metadata dropped. */
  public SemanticVersion incMajor() {
    return next(major + 1, 0, 0);
  }

  /** The next minor version: patch reset to 0, prerelease and metadata dropped. */
  public SemanticVersion incMinor() {
    return next(major, minor + 1, 0);
  }

  /**
   * The next patch version. A prerelease version becomes its release ({@code 1.2.3-rc.1} → {@code 1.2.3}),
   * as semver precedence and Kargo say.
   */
  public SemanticVersion incPatch() {
    return prerelease.isEmpty() ? next(major, minor, patch + 1) : next(major, minor, patch);
  }

  /** The canonical form {@code major.minor.patch[-prerelease][+metadata]}, without a {@code v}. */
  public String canonical() {
    StringBuilder sb = new StringBuilder().append(major).append('.').append(minor).append('.').append(patch);
    if (!prerelease.isEmpty()) {
      sb.append('-').append(prerelease);
    }
    if (!metadata.isEmpty()) {
      sb.append('+').append(metadata);
    }
    return sb.toString();
  }

  /** -1, 0 or 1 as this version has lower, equal or higher precedence than {@code other}. */
  public long compare(SemanticVersion other) {
    return Integer.signum(compareTo(other));
  }

  /** Whether this version has lower precedence than {@code other}. */
  public boolean lessThan(SemanticVersion other) {
    return compareTo(other) < 0;
  }

  /** Whether this version has higher precedence than {@code other}. */
  public boolean greaterThan(SemanticVersion other) {
    return compareTo(other) > 0;
  }

  /** Equal precedence (build metadata is ignored). */
  public boolean equalPrecedence(SemanticVersion other) {
    return compareTo(other) == 0;
  }

  private SemanticVersion next(long nextMajor, long nextMinor, long nextPatch) {
    SemanticVersion v = new SemanticVersion(nextMajor, nextMinor, nextPatch, "", "", "");
    String prefix = original.startsWith("v") ? "v" : "";
    return new SemanticVersion(nextMajor, nextMinor, nextPatch, "", "", prefix + v.canonical());
  }

  /** Semver precedence; build metadata is ignored. */
  @Override
  public int compareTo(SemanticVersion other) {
    Objects.requireNonNull(other, "other version must not be null");
    int c = Long.compare(major, other.major);
    if (c == 0) {
      c = Long.compare(minor, other.minor);
    }
    if (c == 0) {
      c = Long.compare(patch, other.patch);
    }
    if (c != 0) {
      return c;
    }
    return comparePrerelease(prerelease, other.prerelease);
  }

  private static int comparePrerelease(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    if (a.isEmpty()) {
      return 1;
    }
    if (b.isEmpty()) {
      return -1;
    }
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean xn = x[i].chars().allMatch(Character::isDigit);
      boolean yn = y[i].chars().allMatch(Character::isDigit);
      int c;
      if (xn && yn) {
        c = new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]));
      } else if (xn) {
        c = -1;
      } else if (yn) {
        c = 1;
      } else {
        c = x[i].compareTo(y[i]);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  /** Same as {@link #canonical()}. */
  @Override
  public String toString() {
    return canonical();
  }

  /** Versions are equal when all parts, including metadata, are equal (the original text is not compared). */
  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SemanticVersion)) {
      return false;
    }
    SemanticVersion v = (SemanticVersion) o;
    return major == v.major && minor == v.minor && patch == v.patch
        && prerelease.equals(v.prerelease) && metadata.equals(v.metadata);
  }

  @Override
  public int hashCode() {
    return Objects.hash(major, minor, patch, prerelease, metadata);
  }
}
