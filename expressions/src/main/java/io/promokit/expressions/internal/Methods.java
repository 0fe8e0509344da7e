package io.promokit.expressions.internal;

import io.promokit.expressions.ExpressionFunction;
import io.promokit.expressions.SemanticVersion;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The only method calls an expression can make: on the values the engine itself returns, that is versions
 * from semverParse(), times from now() and durations from duration(), and on host maps whose member is an
 * {@link ExpressionFunction} (the http step's {@code response.header(name)}). Each method is listed here;
 * nothing is found by reflection.
 */
final class Methods {
  private Methods() {}

  private static final Map<String, List<String>> NAMES = Map.of(
      "version", List.of("Major", "Minor", "Patch", "Prerelease", "Metadata", "Original", "IncMajor", "IncMinor",
          "IncPatch", "String", "Compare", "LessThan", "GreaterThan", "Equal"),
      "time", List.of("Year", "Month", "Day", "Hour", "Minute", "Second", "Nanosecond", "YearDay", "Unix",
          "UnixMilli", "UnixNano", "UTC", "String", "Add", "Sub", "Before", "After", "Equal"),
      "duration", List.of("Hours", "Minutes", "Seconds", "Milliseconds", "Microseconds", "Nanoseconds",
          "String", "Abs"));

  static Object call(Object obj, String name, String text, Object[] args) {
    if (obj instanceof SemanticVersion) {
      return version((SemanticVersion) obj, name, text, args);
    }
    if (obj instanceof OffsetDateTime) {
      return time((OffsetDateTime) obj, name, text, args);
    }
    if (obj instanceof Duration) {
      return duration((Duration) obj, name, text, args);
    }
    if (obj instanceof Map && ((Map<?, ?>) obj).get(name) instanceof ExpressionFunction) {
      // A host value may carry functions as members, e.g. the http step's response.header(name).
      try {
        return ((ExpressionFunction) ((Map<?, ?>) obj).get(name)).apply(java.util.Arrays.asList(args));
      } catch (IllegalArgumentException e) {
        throw new EvalError(text + "." + name + "(): " + e.getMessage());
      }
    }
    throw new EvalError("cannot call " + name + "() on " + text + ", which is a " + Values.typeName(obj)
        + ": methods can only be called on values from semverParse(), now() and duration()");
  }

  private static EvalError unknown(String type, String name, String text) {
    return new EvalError(text + " is a " + type + ", which has no method " + name + "() (its methods are "
        + String.join("(), ", NAMES.get(type)) + "())");
  }

  private static void arity(String type, String name, Object[] args, int n) {
    if (args.length != n) {
      throw new EvalError(type + " method " + name + "() expects " + n + (n == 1 ? " argument" : " arguments")
          + ", but got " + args.length);
    }
  }

  private static SemanticVersion versionArg(String name, Object v) {
    if (v instanceof SemanticVersion) {
      return (SemanticVersion) v;
    }
    if (v instanceof String) {
      try {
        return SemanticVersion.parse((String) v);
      } catch (IllegalArgumentException e) {
        throw new EvalError(name + "(): " + e.getMessage());
      }
    }
    throw new EvalError(name + "() expects a version, but got " + Values.describe(v));
  }

  private static Object version(SemanticVersion v, String name, String text, Object[] args) {
    switch (name) {
      case "Compare": case "LessThan": case "GreaterThan": case "Equal": {
        arity("version", name, args, 1);
        SemanticVersion o = versionArg(name, args[0]);
        switch (name) {
          case "Compare": return v.compare(o);
          case "LessThan": return v.lessThan(o);
          case "GreaterThan": return v.greaterThan(o);
          default: return v.equalPrecedence(o);
        }
      }
      default:
        break;
    }
    if (!NAMES.get("version").contains(name)) {
      throw unknown("version", name, text);
    }
    arity("version", name, args, 0);
    switch (name) {
      case "Major": return v.major();
      case "Minor": return v.minor();
      case "Patch": return v.patch();
      case "Prerelease": return v.prerelease();
      case "Metadata": return v.metadata();
      case "Original": return v.original();
      case "IncMajor": return v.incMajor();
      case "IncMinor": return v.incMinor();
      case "IncPatch": return v.incPatch();
      default: return v.canonical();
    }
  }

  private static OffsetDateTime timeArg(String name, Object v) {
    if (v instanceof OffsetDateTime) {
      return (OffsetDateTime) v;
    }
    throw new EvalError(name + "() expects a time, but got " + Values.describe(v));
  }

  private static Object time(OffsetDateTime t, String name, String text, Object[] args) {
    if (!NAMES.get("time").contains(name)) {
      throw unknown("time", name, text);
    }
    switch (name) {
      case "Add":
        arity("time", name, args, 1);
        if (!(args[0] instanceof Duration)) {
          throw new EvalError("Add() expects a duration, but got " + Values.describe(args[0]));
        }
        return t.plus((Duration) args[0]);
      case "Sub":
        arity("time", name, args, 1);
        return Duration.between(timeArg(name, args[0]), t);
      case "Before":
        arity("time", name, args, 1);
        return t.isBefore(timeArg(name, args[0]));
      case "After":
        arity("time", name, args, 1);
        return t.isAfter(timeArg(name, args[0]));
      case "Equal":
        arity("time", name, args, 1);
        return t.isEqual(timeArg(name, args[0]));
      default:
        break;
    }
    arity("time", name, args, 0);
    switch (name) {
      case "Year": return (long) t.getYear();
      case "Month": return (long) t.getMonthValue();
      case "Day": return (long) t.getDayOfMonth();
      case "Hour": return (long) t.getHour();
      case "Minute": return (long) t.getMinute();
      case "Second": return (long) t.getSecond();
      case "Nanosecond": return (long) t.getNano();
      case "YearDay": return (long) t.getDayOfYear();
      case "Unix": return t.toEpochSecond();
      case "UnixMilli": return t.toInstant().toEpochMilli();
      case "UnixNano": return t.toEpochSecond() * 1_000_000_000L + t.getNano();
      case "UTC": return t.withOffsetSameInstant(ZoneOffset.UTC);
      default: return GoTime.string(t);
    }
  }

  private static Object duration(Duration d, String name, String text, Object[] args) {
    if (!NAMES.get("duration").contains(name)) {
      throw unknown("duration", name, text);
    }
    arity("duration", name, args, 0);
    long nanos = GoDuration.nanos(d);
    switch (name) {
      case "Hours": return nanos / 3.6e12;
      case "Minutes": return nanos / 6e10;
      case "Seconds": return nanos / 1e9;
      case "Milliseconds": return nanos / 1_000_000L;
      case "Microseconds": return nanos / 1_000L;
      case "Nanoseconds": return nanos;
      case "Abs": return d.abs();
      default: return GoDuration.format(d);
    }
  }
}
