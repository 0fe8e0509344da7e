package io.promokit.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The training run for the {@code promokit} launcher's class-data archive (AppCDS): runs the commands whose
 * start-up the archive should speed up ({@code render} of a template, {@code validate} and {@code steps}) in
 * one JVM, so that the archive the JVM writes at exit ({@code -XX:ArchiveClassesAtExit}) holds the classes all
 * of them load. Their output is discarded. Not part of the command-line contract.
 */
public final class ClassDataTraining {

  private ClassDataTraining() {}

  /**
   * Runs the training commands.
   *
   * @param args one argument: a template file to validate (the launcher passes the repository's example)
   */
  public static void main(String[] args) {
    // Main itself: a command's entry class loaded from the jar rather than the archive makes the JVM open the
    // 15,000-entry jar and read its index (~5 ms of every start); loading it here puts it in the archive.
    Main.class.getName();
    run("render", "--template", "${{ 1 + 2 }}-${{ quote(\"a\") }}");
    if (args.length > 0) {
      run("validate", args[0]);
    }
    run("steps");
  }

  private static void run(String... args) {
    StringWriter sink = new StringWriter();
    PromokitCommand.execute(new PrintWriter(sink), new PrintWriter(sink), args);
  }
}
