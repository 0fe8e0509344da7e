package io.promokit.cli;

import java.io.PrintWriter;

/** A command of {@code promokit}: declares its arguments, bound to its own fields, then runs with them. */
interface Subcommand {

  /** What the command accepts; parsing stores the values into this instance. */
  Arguments arguments();

  /**
   * Runs the command once its arguments are parsed.
   *
   * @return the exit code ({@link ExitCodes})
   */
  int call(PrintWriter out, PrintWriter err);
}
