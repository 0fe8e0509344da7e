package io.promokit.internal.process;

import java.time.Duration;
import java.util.List;

/**
 * Stops a process and everything it started: SIGTERM to the whole tree (its descendants and every process
 * carrying its environment mark, which also finds daemonized children), a grace period, then SIGKILL to
 * whatever is left, including processes started during the grace period.
 *
 * <p>The grace period is real time on purpose (System.nanoTime): it is how long an operating-system process
 * gets to exit, not a duration of the promotion, so a manual clock in tests does not stretch or skip it.
 */
public final class ProcessTrees {

  private ProcessTrees() {}

  /**
   * Terminates the tree of {@code root}.
   *
   * @param markName the environment variable that marks the tree's processes
   * @param markValue its value for this tree
   * @param grace how long the processes get after SIGTERM; zero sends SIGKILL at once
   */
  public static void terminate(ProcessHandle root, String markName, String markValue, Duration grace) {
    List<ProcessHandle> tree = MarkedProcesses.tree(root, markName, markValue);
    if (!grace.isZero() && !grace.isNegative()) {
      tree.forEach(ProcessHandle::destroy);
      long deadline = System.nanoTime() + grace.toNanos();
      while (System.nanoTime() < deadline && tree.stream().anyMatch(ProcessHandle::isAlive)) {
        try {
          Thread.sleep(Math.min(50, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    MarkedProcesses.tree(root, markName, markValue).forEach(ProcessHandle::destroyForcibly);
    tree.forEach(ProcessHandle::destroyForcibly);
  }

  /** Kills (SIGKILL) every live process carrying the mark: what a command left running after it exited. */
  public static void killLeftovers(String markName, String markValue) {
    MarkedProcesses.withMark(markName, markValue).forEach(ProcessHandle::destroyForcibly);
  }
}
