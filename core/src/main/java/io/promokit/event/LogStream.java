package io.promokit.event;

/** Where a log line came from. */
public enum LogStream {
  /** A container's or process's standard output. */
  STDOUT,
  /** A container's or process's standard error. */
  STDERR,
  /** A message a step or the engine wrote about what it is doing. */
  INFO
}
