package io.promokit.internal.yaml;

import io.promokit.documents.DocumentException;
import io.promokit.documents.Problem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The problems found while reading documents, collected so that one bad field does not hide the next: a
 * read that throws a {@link DocumentException} is recorded and its node skipped. Not thread-safe; one per
 * load.
 *
 * <pre>{@code
 * boolean continueOnError = problems.orElse(() -> step.optionalBoolean("continueOnError", false), false);
 * }</pre>
 */
public final class DocumentProblems {

  // A class rather than Comparator.comparingInt(...).thenComparingInt(...): those spin JDK lambda classes, a few
  // milliseconds of every cold start that reads a document.
  private static final Comparator<Problem> BY_POSITION = new Comparator<>() {
    @Override
    public int compare(Problem a, Problem b) {
      int byLine = Integer.compare(a.location().line(), b.location().line());
      return byLine != 0 ? byLine : Integer.compare(a.location().column(), b.location().column());
    }
  };

  private final List<Problem> problems = new ArrayList<>();

  /** Records every problem of the exception. */
  public void add(DocumentException e) {
    problems.addAll(e.problems());
  }

  /**
   * Runs a read, recording its {@link DocumentException}.
   *
   * @return whether it read without a problem
   */
  public boolean attempt(Runnable read) {
    try {
      read.run();
      return true;
    } catch (DocumentException e) {
      add(e);
      return false;
    }
  }

  /** What the read returned, or {@code fallback} when it threw (the problem is recorded). */
  public <T> T orElse(Supplier<T> read, T fallback) {
    try {
      return read.get();
    } catch (DocumentException e) {
      add(e);
      return fallback;
    }
  }

  /** What the read returned (empty when null), or empty when it threw (the problem is recorded). */
  public <T> Optional<T> read(Supplier<T> read) {
    return Optional.ofNullable(orElse(read, null));
  }

  /** How many problems are recorded; a mark for {@link #sortFrom}. */
  public int size() {
    return problems.size();
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  /**
   * Puts the problems recorded since {@code mark} (those of one document) in the order they are written:
   * fields are checked in reading order, not always in document order.
   */
  public void sortFrom(int mark) {
    Objects.checkIndex(mark, problems.size() + 1);
    problems.subList(mark, problems.size()).sort(BY_POSITION);
  }

  /** The problems, in the order recorded. */
  public List<Problem> list() {
    return List.copyOf(problems);
  }
}
