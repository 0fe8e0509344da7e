package io.promokit.steps.git;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per repository URL and branch, so that pushes of concurrent promotions to the same branch run one
 * after the other (integrate, then push) instead of racing; held by one {@link GitSteps}.
 */
final class PushLocks {

  private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  /** The lock for a repository and branch. */
  ReentrantLock forBranch(String repoUrl, String branch) {
    return locks.computeIfAbsent(repoUrl + ":" + branch, key -> new ReentrantLock(true));
  }
}
