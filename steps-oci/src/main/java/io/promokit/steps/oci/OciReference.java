package io.promokit.steps.oci;

import io.promokit.spi.CredentialType;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An artifact reference as Kargo's steps read it (go-containerregistry's {@code name.ParseReference}, after an
 * optional {@code oci://} prefix that asks for Helm credentials): {@code [registry/]repository(:tag|@digest)}.
 * The first component is the registry when it holds a {@code .} or a {@code :} or is {@code localhost};
 * otherwise the registry is Docker Hub and a one-component repository gets {@code library/}. A reference with
 * both a tag and a digest is read by its digest.
 *
 * @param original the text as configured (with {@code oci://} when given)
 * @param helm whether the text started with {@code oci://} (Helm credentials)
 * @param registry the registry as named ({@code index.docker.io} for Docker Hub)
 * @param repository the repository path inside the registry
 * @param tag the tag, or null for a digest reference
 * @param digest the digest ({@code sha256:...}), or null for a tag reference
 */
record OciReference(String original, boolean helm, String registry, String repository, String tag, String digest) {

  static final String DOCKER_HUB = "index.docker.io";
  private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  /** A reference that does not parse; the message says why. */
  static final class InvalidReferenceException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidReferenceException(String message) {
      super(message);
    }
  }

  /**
   * Parses a reference.
   *
   * @throws InvalidReferenceException with go-containerregistry's reason
   */
  static OciReference parse(String text) throws InvalidReferenceException {
    boolean helm = text.startsWith("oci://");
    String rest = helm ? text.substring("oci://".length()) : text;
    String digest = null;
    String tag = null;
    String name = rest;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      name = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw new InvalidReferenceException("invalid image reference \"" + rest + "\": a digest must be sha256:"
            + " followed by 64 lowercase hex digits, but was \"" + digest + "\"");
      }
    }
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      String found = name.substring(colon + 1);
      name = name.substring(0, colon);
      if (!TAG.matcher(found).matches()) {
        throw new InvalidReferenceException("invalid image reference \"" + rest + "\": tag can only contain the "
            + "characters `abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.`: " + found);
      }
      if (digest == null) {
        tag = found;
      }
    }
    if (digest == null && tag == null) {
      tag = "latest";
    }
    String registry = DOCKER_HUB;
    String repository = name;
    int slash = name.indexOf('/');
    if (slash > 0) {
      String first = name.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        repository = name.substring(slash + 1);
      }
    }
    if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    if (registry.equalsIgnoreCase("docker.io")) {
      registry = DOCKER_HUB;
    }
    if (repository.isEmpty() || !REPOSITORY.matcher(repository).matches()) {
      throw new InvalidReferenceException("invalid image reference \"" + rest + "\": repository can only contain the "
          + "characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: " + repository);
    }
    return new OciReference(text, helm, registry.toLowerCase(Locale.ROOT), repository, tag, digest);
  }

  /** {@code registry/repository}: what credentials are looked up for, and what makes two references one repository. */
  String context() {
    return registry + "/" + repository;
  }

  /** The tag or the digest, as the manifest API takes it. */
  String identifier() {
    return digest != null ? digest : tag;
  }

  /** The host (and port) the Distribution API is served on. */
  String apiHost() {
    return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
  }

  /** The URL credentials are looked up at, as Kargo does: {@code oci://registry/repository} for Helm. */
  String credentialsUrl() {
    return helm ? "oci://" + context() : context();
  }

  /** Helm credentials for {@code oci://} references, image credentials otherwise. */
  CredentialType credentialType() {
    return helm ? CredentialType.HELM : CredentialType.IMAGE;
  }

  /** The same repository with another identifier (a child manifest of an index, by digest). */
  OciReference withDigest(String childDigest) {
    return new OciReference(original, helm, registry, repository, null, childDigest);
  }

  @Override
  public String toString() {
    return original;
  }
}
