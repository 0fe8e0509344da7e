package io.promokit.runtime.docker;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image reference as Docker reads it: {@code [registry/]path[:tag][@digest]}. The registry is the
 * first path component when it looks like a host ({@code localhost}, or containing {@code .} or
 * {@code :}); otherwise the image comes from Docker Hub ({@code docker.io}). Parsing follows the grammar
 * of the distribution project's reference package, so that a name the daemon would refuse is refused here
 * first, with a message that says why.
 *
 * @param text the reference as written
 * @param registry the registry host (with port), {@code docker.io} for Docker Hub
 * @param repository the name to pull, as written but without tag and digest
 * @param tag the tag, or null
 * @param digest the digest ({@code sha256:...}), or null
 */
record ImageReference(String text, String registry, String repository, String tag, String digest) {

  static final String DOCKER_HUB = "docker.io";
  private static final int MAX_NAME_LENGTH = 255;
  private static final Pattern DOMAIN = Pattern.compile(
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
          + "(?::[0-9]+)?|\\[[0-9a-fA-F:.]+\\](?::[0-9]+)?");
  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile(
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");

  /**
   * Parses a reference.
   *
   * @throws IllegalArgumentException with the reason, when Docker would not accept it
   */
  static ImageReference parse(String text) {
    String rest = text;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw new IllegalArgumentException("invalid digest \"" + digest + "\"");
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException("invalid tag \"" + tag
            + "\": a tag is at most 128 letters, digits, underscores, dots and dashes, not starting with a dot or dash");
      }
    }
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("the repository name is empty");
    }
    if (rest.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("the repository name is longer than " + MAX_NAME_LENGTH + " characters");
    }
    String registry = DOCKER_HUB;
    String path = rest;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      String first = rest.substring(0, slash);
      boolean looksLikeHost = first.contains(".") || first.contains(":") || first.equals("localhost")
          || !first.toLowerCase(Locale.ROOT).equals(first);
      if (looksLikeHost) {
        if (!DOMAIN.matcher(first).matches()) {
          throw new IllegalArgumentException("invalid registry host \"" + first + "\"");
        }
        registry = first;
        path = rest.substring(slash + 1);
      }
    }
    for (String component : path.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        String why = !component.toLowerCase(Locale.ROOT).equals(component)
            ? "repository names must be lowercase"
            : "each part of a repository name is lowercase letters and digits, separated by '.', '_', '__' or '-'";
        throw new IllegalArgumentException("invalid repository name \"" + rest + "\": " + why);
      }
    }
    return new ImageReference(text, registry, rest, tag, digest);
  }

  /** The tag or digest to pull: the tag, else the digest, else {@code latest} (as the docker CLI does). */
  String tagOrDigest() {
    return digest != null ? digest : Optional.ofNullable(tag).orElse("latest");
  }

  /** The reference with the implicit {@code latest} tag made explicit, as the daemon names the image. */
  String canonical() {
    if (digest != null) {
      return repository + (tag != null ? ":" + tag : "") + "@" + digest;
    }
    return repository + ":" + tagOrDigest();
  }
}
