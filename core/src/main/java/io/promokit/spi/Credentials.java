package io.promokit.spi;

import java.util.Objects;

/**
 * A credential a host hands to a step. The password (or token) and the SSH private key are secrets: steps
 * never put them in a URL, a command line, a log line or a file that outlives the step.
 *
 * @param username the user name; may be empty
 * @param password the password or token; may be empty
 * @param sshPrivateKey a PEM private key for SSH; may be empty
 */
public record Credentials(String username, String password, String sshPrivateKey) {
  public Credentials {
    username = Objects.requireNonNullElse(username, "");
    password = Objects.requireNonNullElse(password, "");
    sshPrivateKey = Objects.requireNonNullElse(sshPrivateKey, "");
  }

  /** A user name and password (or token). */
  public static Credentials basic(String username, String password) {
    return new Credentials(username, password, "");
  }

  @Override
  public String toString() {
    return "Credentials[username=" + username + ", password=" + (password.isEmpty() ? "" : "***")
        + ", sshPrivateKey=" + (sshPrivateKey.isEmpty() ? "" : "***") + "]";
  }
}
