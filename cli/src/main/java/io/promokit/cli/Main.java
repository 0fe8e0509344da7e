package io.promokit.cli;

/** Entry point of the {@code promokit} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(PromokitCommand.execute(args));
  }
}
