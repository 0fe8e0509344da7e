package io.promokit.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Repository URL normalisation as Kargo compares credentials' {@code repoURL}s (its {@code urls} package):
 * one form for git, image and chart repository URLs, so that equivalent spellings match. A URL that cannot
 * be normalised is returned unchanged.
 */
public final class RepoUrls {

  // [user@]host.xz[:path/to/repo[.git][/]]
  private static final Pattern SCP_SYNTAX = Pattern.compile("^((?:[\\w-]+@)?[\\w-]+(?:\\.[\\w-]+)*)(?::(.*))?$");
  private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

  private RepoUrls() {}

  /** Git: lower-case, no user-info for http(s), no trailing {@code /} or {@code .git}, SCP-style as ssh://. */
  public static String normalizeGit(String repo) {
    if (repo == null || hasInternalSpaces(repo)) {
      return repo;
    }
    String compact = removeSpaces(repo);
    if (compact.isEmpty()) {
      return repo;
    }
    if (compact.startsWith("http://") || compact.startsWith("https://") || compact.startsWith("ssh://")) {
      URI uri;
      try {
        uri = new URI(compact);
      } catch (URISyntaxException e) {
        return repo;
      }
      if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
        return repo; // query parameters are not permitted
      }
      StringBuilder out = new StringBuilder(uri.getScheme()).append("://");
      if (compact.startsWith("ssh://") && uri.getRawUserInfo() != null) {
        out.append(uri.getRawUserInfo()).append('@');
      }
      if (uri.getHost() != null) {
        out.append(uri.getHost());
      } else if (uri.getRawAuthority() != null) {
        String authority = uri.getRawAuthority();
        out.append(authority.substring(authority.indexOf('@') + 1));
      }
      if (uri.getHost() != null && uri.getPort() >= 0) {
        out.append(':').append(uri.getPort());
      }
      out.append(trimRepoSuffixes(uri.getRawPath() == null ? "" : uri.getRawPath()));
      if (uri.getRawFragment() != null) {
        out.append('#').append(uri.getRawFragment());
      }
      return out.toString().toLowerCase(Locale.ROOT);
    }
    Matcher m = SCP_SYNTAX.matcher(compact);
    if (!m.matches()) {
      return repo;
    }
    String userHost = m.group(1);
    String path = trimRepoSuffixes(m.group(2) == null ? "" : m.group(2));
    String result = path.isEmpty() ? "ssh://" + userHost : "ssh://" + userHost + "/" + path;
    return result.toLowerCase(Locale.ROOT);
  }

  /** Image: Docker Hub names without registry and {@code library/}; others {@code registry/repository}. */
  public static String normalizeImage(String reference) {
    if (reference == null || reference.isEmpty()) {
      return reference;
    }
    String rest = reference;
    int at = rest.indexOf('@');
    if (at >= 0) {
      rest = rest.substring(0, at);
    }
    int lastSlash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > lastSlash) {
      String tag = rest.substring(colon + 1);
      if (!TAG.matcher(tag).matches()) {
        return reference;
      }
      rest = rest.substring(0, colon);
    }
    String registry = "index.docker.io";
    String repository = rest;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first.equals("docker.io") ? "index.docker.io" : first;
        repository = rest.substring(slash + 1);
      }
    }
    if (!REPOSITORY.matcher(repository).matches()) {
      return reference;
    }
    if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
      return repository.startsWith("library/") ? repository.substring("library/".length()) : repository;
    }
    return registry + "/" + repository;
  }

  /** Chart: trimmed, lower-cased, without {@code oci://}, then as an image reference. */
  public static String normalizeChart(String repo) {
    if (repo == null) {
      return null;
    }
    String lowered = repo.strip().toLowerCase(Locale.ROOT);
    return normalizeImage(lowered.startsWith("oci://") ? lowered.substring("oci://".length()) : lowered);
  }

  private static String trimRepoSuffixes(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return p.endsWith(".git") ? p.substring(0, p.length() - 4) : p;
  }

  private static boolean hasInternalSpaces(String repo) {
    String unescaped;
    try {
      unescaped = URLDecoder.decode(repo.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      unescaped = repo;
    }
    String trimmed = trimSpaces(unescaped);
    return !removeSpaces(trimmed).equals(trimmed);
  }

  private static String trimSpaces(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.codePointAt(start))) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (end > start && isSpace(s.codePointBefore(end))) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  private static String removeSpaces(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().filter(c -> !isSpace(c)).forEach(out::appendCodePoint);
    return out.toString();
  }

  private static boolean isSpace(int c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
        || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.UNASSIGNED;
  }
}
