package io.promokit.documents;

import io.promokit.PromotionException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One or more documents (template, task, step definition, env file) that cannot be read: malformed YAML, an
 * unknown or misspelled field, a wrong type, a bad duration, a missing required field. Each problem's line
 * starts with {@code file:line:column} and names the field; the message holds every problem, one per line,
 * and {@link #problems()} holds them as {@link Problem}s (errors whose {@link Problem#configPath()} is the
 * field's path).
 */
public class DocumentException extends PromotionException {
  private static final long serialVersionUID = 1L;

  private final SourceLocation location;
  private final String field;
  private final List<Problem> problems;

  /**
   * @param location where the problem is
   * @param field the field's path, for example {@code steps[2].retry.timeout}, or null
   * @param problem what is wrong, without the location
   */
  public DocumentException(SourceLocation location, @Nullable String field, String problem,
      @Nullable Throwable cause) {
    super(line(location, field, problem), cause);
    this.location = Objects.requireNonNull(location, "location must not be null");
    this.field = field;
    this.problems = List.of(Problem.error(location, null, blankToNull(field), problem));
  }

  public DocumentException(SourceLocation location, @Nullable String field, String problem) {
    this(location, field, problem, null);
  }

  /**
   * Every problem found in a set of documents; {@link #location()} and {@link #field()} are the first one's.
   *
   * @param problems at least one problem, all errors, in the order to report them
   * @throws IllegalArgumentException when the list is empty or holds a warning (warnings never stop a read)
   */
  public DocumentException(List<Problem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
    Problem first = this.problems.get(0);
    this.location = first.location();
    this.field = first.configPath();
  }

  /** Where the (first) problem is. */
  public SourceLocation location() {
    return location;
  }

  /** The path of the (first) offending field, or null. */
  public @Nullable String field() {
    return field;
  }

  /** Every problem, in the order found (at least one), as errors without a step alias. */
  public List<Problem> problems() {
    return problems;
  }

  private static String describe(List<Problem> problems) {
    Objects.requireNonNull(problems, "problems must not be null");
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("problems must not be empty");
    }
    problems.stream().filter(p -> p.severity() != Problem.Severity.ERROR).findFirst().ifPresent(p -> {
      throw new IllegalArgumentException("a DocumentException holds errors only, but was given the warning " + p);
    });
    return problems.stream()
        .map(p -> line(p.location(), null, (p.alias() == null ? "" : "step \"" + p.alias() + "\": ")
            + (p.configPath() == null ? "" : p.configPath() + ": ") + p.message()))
        .collect(Collectors.joining("\n"));
  }

  /** {@code file:line:column: field: problem}. */
  private static String line(SourceLocation location, String field, String problem) {
    return location + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + problem;
  }

  private static String blankToNull(String field) {
    return field == null || field.isEmpty() ? null : field;
  }
}
