package io.promokit.cli;

/** The exit codes of CLI.md. */
final class ExitCodes {
  /** The promotion succeeded, validation found no errors, render evaluated everything. */
  static final int OK = 0;
  /** The promotion ended Failed, Errored or Aborted. */
  static final int PROMOTION_FAILED = 1;
  /** Bad input: unreadable or invalid file, unknown option. Nothing ran. */
  static final int BAD_INPUT = 2;
  /** Interrupted (Ctrl-C): the running step was aborted and the record written. */
  static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
