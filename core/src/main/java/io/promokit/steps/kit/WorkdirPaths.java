package io.promokit.steps.kit;

import io.promokit.StepException;
import io.promokit.expressions.Quoting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Resolves paths from a step's config inside the promotion's working directory, so that no step reads or
 * writes outside it (SEMANTICS.md section 7, BUILTIN-STEPS.md). Part of the step kit: every step module
 * resolves its config paths here (or with {@link io.promokit.StepContext#resolvePath(String)}).
 *
 * <p>Like Kargo's {@code securejoin.SecureJoin}, the path is joined to the working directory and every
 * symlink on the way is resolved inside it, link by link, the way the operating system would follow them
 * (up to {@value #MAX_SYMLINKS} links), so a chain of links cannot smuggle a path out; {@code ..} inside the
 * working directory is fine ({@code a/../b} is {@code b}). <b>[ours]</b> Where SecureJoin would silently
 * clamp a path that escapes ({@code ../x} becoming {@code x}, an absolute symlink target read as if the
 * working directory were {@code /}), this class refuses it with a message saying why: a template that
 * climbs out of the working directory is a mistake to report, not to guess at. Refused are: an empty or
 * absolute path, {@code ..} above the working directory, a symlink whose target lies outside it. Parts of
 * the path that do not exist yet are fine: a step may create them. For writes ({@link Access#WRITE},
 * {@link Access#DELETE}) the path must also not be the working directory itself nor lie inside a
 * {@code .git} directory.
 *
 * <p>Every refusal is a {@link RejectedPathException} (an {@link InvalidConfigException}, so the step ends
 * {@code Failed} with {@code invalid config: ...}) whose message names the path (and the config field, when
 * given) and the reason, for example {@code config.path: "../secrets" climbs out of the working directory}.
 *
 * <p>The check is made when the path is resolved; a process that changes the directory afterwards is outside
 * this guard (the working directory belongs to one promotion). Thread-safe (no state).
 */
public final class WorkdirPaths {

  /** How many symlinks one path may pass through, as Linux's {@code MAXSYMLINKS}. */
  public static final int MAX_SYMLINKS = 40;

  /** What the step will do with the path. */
  public enum Access {
    /** Read it: every symlink is followed. */
    READ,
    /** Create or replace it: every symlink is followed; not the working directory, nothing in {@code .git}. */
    WRITE,
    /**
     * Delete it: like {@link #WRITE}, but a symlink in the last place is not followed, so deleting a link
     * removes the link and never its target.
     */
    DELETE
  }

  /**
   * A path the working directory's rules refuse (empty, absolute, climbing out, a symlink out, inside
   * {@code .git}). It is invalid config: thrown from any step (built-in, module or host step), the step ends
   * {@code Failed} with {@code invalid config: <message>}.
   */
  public static final class RejectedPathException extends InvalidConfigException {
    private static final long serialVersionUID = 1L;

    RejectedPathException(String message) {
      super(message);
    }
  }

  private WorkdirPaths() {}

  /**
   * Resolves a path for reading, as {@link io.promokit.StepContext#resolvePath(String)} does.
   *
   * @param workdir the promotion's working directory (must exist)
   * @param relativePath the path as the config gives it, relative to the working directory
   * @return the absolute path, with the symlinks of its existing part resolved
   * @throws RejectedPathException when the path is empty, absolute or leads out of the working directory
   */
  public static Path resolve(Path workdir, String relativePath) {
    return resolve(workdir, relativePath, Access.READ, null);
  }

  /**
   * Resolves a path from a config field for the given access.
   *
   * @param workdir the promotion's working directory (must exist)
   * @param relativePath the path as the config gives it, relative to the working directory
   * @param access what the step will do with it
   * @param field the config path of the field, such as {@code config.outPath}, named in messages; may be null
   * @return the absolute path, with the symlinks of its existing part resolved (for {@link Access#DELETE},
   *     all but the last name)
   * @throws RejectedPathException naming the path and the reason when it is not allowed
   * @throws StepException (terminal) when the working directory or a symlink on the way cannot be read
   */
  public static Path resolve(Path workdir, String relativePath, Access access, String field) {
    Objects.requireNonNull(workdir, "workdir must not be null");
    Objects.requireNonNull(access, "access must not be null");
    Request request = new Request(relativePath, field);
    Path root = realRoot(workdir);
    List<String> names = request.names();
    Path resolved;
    if (access == Access.DELETE && !names.isEmpty() && !isDotName(names.get(names.size() - 1))) {
      Path parent = request.walk(root, names.subList(0, names.size() - 1));
      resolved = parent.resolve(names.get(names.size() - 1));
    } else {
      resolved = request.walk(root, names);
    }
    if (access != Access.READ) {
      request.checkWritable(root, resolved);
    }
    return resolved;
  }

  private static Path realRoot(Path workdir) {
    try {
      return workdir.toRealPath();
    } catch (IOException e) {
      throw StepException.terminal("working directory " + workdir + " is not usable: " + e, e);
    }
  }

  private static boolean isDotName(String name) {
    return name.equals(".") || name.equals("..");
  }

  /** One path being resolved: its text, the field it came from, and how to word problems with it. */
  private static final class Request {
    private final String text;
    private final String field;
    private final Path path;

    Request(String text, String field) {
      this.text = text;
      this.field = field;
      if (text == null || text.isEmpty()) {
        throw new RejectedPathException((field == null ? "path" : field + ":") + " must not be empty");
      }
      try {
        this.path = Path.of(text);
      } catch (InvalidPathException e) {
        throw fail("is not a valid path (" + e.getReason() + ")");
      }
      if (path.isAbsolute() || text.startsWith("/")) {
        throw fail("is absolute; paths are relative to the working directory");
      }
    }

    List<String> names() {
      List<String> names = new java.util.ArrayList<>();
      int depth = 0;
      for (Path name : path) {
        String n = name.toString();
        if (n.isEmpty() || n.equals(".")) {
          continue;
        }
        depth += n.equals("..") ? -1 : 1;
        if (depth < 0) {
          throw fail("climbs out of the working directory");
        }
        names.add(n);
      }
      return names;
    }

    /** Follows the names from the root the way the OS would, expanding every symlink met on the way. */
    Path walk(Path root, List<String> names) {
      Deque<Name> pending = new ArrayDeque<>();
      names.forEach(n -> pending.addLast(new Name(n, null, null)));
      Path current = root;
      int links = 0;
      while (!pending.isEmpty()) {
        Name name = pending.pollFirst();
        if (name.text().isEmpty() || name.text().equals(".")) {
          continue;
        }
        if (name.text().equals("..")) {
          if (current.equals(root)) {
            throw name.link() == null ? fail("climbs out of the working directory")
                : leadsOut(root, name.link(), name.target());
          }
          current = current.getParent();
          continue;
        }
        Path next = current.resolve(name.text());
        if (!Files.isSymbolicLink(next)) {
          current = next;
          continue;
        }
        if (++links > MAX_SYMLINKS) {
          throw fail("passes through more than " + MAX_SYMLINKS + " symlinks");
        }
        Path target = readLink(next);
        Path relativeTarget = target;
        if (target.isAbsolute()) {
          Path normalized = target.normalize();
          if (!normalized.startsWith(root)) {
            throw leadsOut(root, next, target);
          }
          current = root;
          relativeTarget = root.relativize(normalized);
        }
        // A relative target is read from the link's directory; its names are walked like the user's own,
        // so every ".." and every further link in it is checked too.
        List<String> targetNames = new java.util.ArrayList<>();
        relativeTarget.forEach(p -> targetNames.add(p.toString()));
        for (int i = targetNames.size() - 1; i >= 0; i--) {
          pending.addFirst(new Name(targetNames.get(i), next, target));
        }
      }
      return current;
    }

    void checkWritable(Path root, Path resolved) {
      if (resolved.equals(root)) {
        throw fail("is the working directory itself; name a file or directory inside it");
      }
      if (!resolved.startsWith(root)) {
        throw fail("climbs out of the working directory");
      }
      for (Path name : root.relativize(resolved)) {
        if (name.toString().equalsIgnoreCase(".git")) {
          throw fail("is inside a .git directory, which steps may not change");
        }
      }
    }

    private Path readLink(Path link) {
      try {
        return Files.readSymbolicLink(link);
      } catch (IOException e) {
        // not the config's fault: an I/O error, terminal like the other refusals
        throw StepException.terminal((field == null ? "path " : field + ": ") + quote(text)
            + " cannot be resolved: reading the symlink failed (" + e + ")");
      }
    }

    private RejectedPathException leadsOut(Path root, Path link, Path target) {
      return fail("leads out of the working directory through the symlink \"" + root.relativize(link)
          + "\" (to \"" + target + "\")");
    }

    private RejectedPathException fail(String reason) {
      return new RejectedPathException((field == null ? "path " : field + ": ") + quote(text) + " " + reason);
    }
  }

  /** One name still to walk; {@code link} is the symlink whose target it came from, if any. */
  private record Name(String text, Path link, Path target) {}

  /** The path in double quotes, escaped as JSON so the message stays on one line. */
  static String quote(String text) {
    return Quoting.json(text);
  }
}
