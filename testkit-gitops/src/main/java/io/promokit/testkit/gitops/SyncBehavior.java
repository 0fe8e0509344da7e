package io.promokit.testkit.gitops;

import java.util.Objects;

/**
 * How the fake Argo CD ends the syncs of an Application, and the health it then reports.
 *
 * @param outcome how an operation ends
 * @param message the operation's message when it fails or errs
 * @param healthAfterSync the health the next refresh after a sync reports ({@code Healthy}, {@code Degraded},
 *     {@code Progressing}, {@code Suspended}...)
 */
public record SyncBehavior(Outcome outcome, String message, String healthAfterSync) {

  /** How an operation ends. */
  public enum Outcome {
    /** Phase Succeeded, the resolved revisions applied, sync status Synced. */
    SUCCEED,
    /** Phase Failed (a resource could not be applied), sync status OutOfSync. */
    FAIL,
    /** Phase Error (the operation itself broke). */
    ERROR,
    /** Stays Running until the behaviour changes. */
    STALL
  }

  public SyncBehavior {
    Objects.requireNonNull(outcome, "outcome must not be null");
    message = message == null ? "" : message;
    Objects.requireNonNull(healthAfterSync, "healthAfterSync must not be null");
  }

  /** Syncs succeed and the Application is Healthy afterwards (Argo CD's usual day). */
  public static SyncBehavior succeed() {
    return new SyncBehavior(Outcome.SUCCEED, "", "Healthy");
  }

  /** Syncs succeed; afterwards the Application reports this health. */
  public static SyncBehavior succeedThenHealth(String health) {
    return new SyncBehavior(Outcome.SUCCEED, "", health);
  }

  /** Syncs fail with this message; the Application is Degraded. */
  public static SyncBehavior fail(String message) {
    return new SyncBehavior(Outcome.FAIL, message, "Degraded");
  }

  /** Operations err with this message. */
  public static SyncBehavior error(String message) {
    return new SyncBehavior(Outcome.ERROR, message, "Unknown");
  }

  /** Operations never end. */
  public static SyncBehavior stall() {
    return new SyncBehavior(Outcome.STALL, "", "Progressing");
  }
}
