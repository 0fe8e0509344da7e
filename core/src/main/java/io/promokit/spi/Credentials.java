package io.promokit.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link CredentialsProvider} found for a repository: a user name with a password (or token), an SSH
 * private key, or both. The password and the key are secrets: steps register them with the promotion's
 * masker before use and never write them into a URL, a command line, the working directory or a record;
 * the user name is not secret. {@link #toString()} never prints a secret.
 */
public final class Credentials {

  private final String username;
  private final String password;
  private final String sshPrivateKey;

  private Credentials(Builder b) {
    this.username = emptyToNull(b.username);
    this.password = emptyToNull(b.password);
    this.sshPrivateKey = emptyToNull(b.sshPrivateKey);
    if (password == null && sshPrivateKey == null) {
      throw new IllegalArgumentException("credentials need a password (or token) or an SSH private key");
    }
  }

  /** A user name with a password or token (the user name may be empty for token-only hosts). */
  public static Credentials usernamePassword(String username, String password) {
    return builder().username(username).password(Objects.requireNonNull(password, "password")).build();
  }

  /** An SSH private key (OpenSSH or PEM text). */
  public static Credentials sshPrivateKey(String privateKey) {
    return builder().sshPrivateKey(Objects.requireNonNull(privateKey, "privateKey")).build();
  }

  /** A builder, for credentials with several parts. */
  public static Builder builder() {
    return new Builder();
  }

  /** The user name, if any (not a secret). */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /** The password or token, if any (a secret). */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** The SSH private key, if any (a secret). */
  public Optional<String> sshPrivateKey() {
    return Optional.ofNullable(sshPrivateKey);
  }

  /** The secret values (password, key), for a masker. */
  public List<String> secrets() {
    List<String> secrets = new ArrayList<>(2);
    if (password != null) {
      secrets.add(password);
    }
    if (sshPrivateKey != null) {
      secrets.add(sshPrivateKey);
    }
    return List.copyOf(secrets);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Credentials c && Objects.equals(username, c.username)
        && Objects.equals(password, c.password) && Objects.equals(sshPrivateKey, c.sshPrivateKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(username, password, sshPrivateKey);
  }

  /** Names the parts that are present; never prints the password or the key. */
  @Override
  public String toString() {
    return "Credentials[username=" + (username == null ? "<none>" : username)
        + ", password=" + (password == null ? "<none>" : "***")
        + ", sshPrivateKey=" + (sshPrivateKey == null ? "<none>" : "***") + "]";
  }

  /** Builds {@link Credentials}; at least a password or a key is required. */
  public static final class Builder {
    private String username;
    private String password;
    private String sshPrivateKey;

    private Builder() {}

    /** The user name. */
    public Builder username(String username) {
      this.username = username;
      return this;
    }

    /** The password or token. */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** The SSH private key text. */
    public Builder sshPrivateKey(String sshPrivateKey) {
      this.sshPrivateKey = sshPrivateKey;
      return this;
    }

    /**
     * The credentials.
     *
     * @throws IllegalArgumentException when neither a password nor a key was given
     */
    public Credentials build() {
      return new Credentials(this);
    }
  }
}
