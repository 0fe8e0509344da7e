package io.promokit.steps.git;

/**
 * Who commits and tags in a clone: a name, an email and optionally a GPG signing key (ASCII-armored, a
 * secret). {@link #toString()} never prints the key.
 */
record Identity(String name, String email, String signingKey) {

  static final String DEFAULT_NAME = "promokit";
  static final String DEFAULT_EMAIL = "no-reply@promokit.io";

  /** promokit's own identity, with the host's signing key if any. */
  static Identity defaultWith(String signingKey) {
    return new Identity(DEFAULT_NAME, DEFAULT_EMAIL, signingKey);
  }

  /** Whether commits and tags are signed. */
  boolean signs() {
    return signingKey != null && !signingKey.isEmpty();
  }

  @Override
  public String toString() {
    return name + " <" + email + ">" + (signs() ? " (signing)" : "");
  }
}
