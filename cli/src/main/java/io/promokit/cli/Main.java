package io.promokit.cli;

import picocli.CommandLine;

/** Entry point of the {@code promokit} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(PromokitCommand.execute(args));
  }
}
