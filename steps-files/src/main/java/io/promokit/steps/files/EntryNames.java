package io.promokit.steps.files;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules an archive entry's name must pass before anything is written for it. A name is split on
 * {@code /}; {@code stripComponents} drops its first parts (as Kargo does, on the name as stored); then
 * {@code ./} prefixes and empty or {@code .} parts are dropped (<b>[ours]</b>: Kargo skips every
 * {@code ./}-prefixed entry, so archives made with {@code tar -C dir .} extract nothing). Refused: absolute
 * names, names with a {@code ..} part, a backslash or a NUL character.
 */
final class EntryNames {

  /** A name after the rules: the relative path to extract to, or why the entry is skipped. */
  record Checked(String path, String skipReason, boolean expected) {
    boolean isSkipped() {
      return skipReason != null;
    }
  }

  private EntryNames() {}

  static Checked check(String name, int stripComponents) {
    String stripped = name;
    if (stripComponents > 0) {
      String[] parts = name.split("/", -1);
      if (parts.length <= stripComponents) {
        return new Checked(null, "has no more than " + stripComponents + " path components to strip", true);
      }
      stripped = String.join("/", java.util.Arrays.copyOfRange(parts, stripComponents, parts.length));
    }
    if (stripped.startsWith("/")) {
      return new Checked(null, "is an absolute path", false);
    }
    if (stripped.indexOf('\\') >= 0) {
      return new Checked(null, "contains a backslash", false);
    }
    if (stripped.indexOf('\0') >= 0) {
      return new Checked(null, "contains a NUL character", false);
    }
    List<String> parts = new ArrayList<>();
    for (String part : stripped.split("/")) {
      if (part.equals("..")) {
        return new Checked(null, "climbs out with \"..\"", false);
      }
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    if (parts.isEmpty()) {
      return new Checked(null, "names the extraction root itself", true);
    }
    return new Checked(String.join("/", parts), null, false);
  }
}
