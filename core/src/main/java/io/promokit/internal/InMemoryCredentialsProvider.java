package io.promokit.internal;

import io.promokit.spi.CredentialType;
import io.promokit.spi.Credentials;
import io.promokit.spi.CredentialsProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The in-memory {@link CredentialsProvider}: entries tried in the order they were added, the first match
 * wins; a URL entry matches by normalised URL, a pattern entry by an unanchored regex search in the raw or
 * the normalised URL (Kargo's rules).
 */
public final class InMemoryCredentialsProvider implements CredentialsProvider {

  private final List<Entry> entries;

  /** A provider over a copy of the entries. */
  public InMemoryCredentialsProvider(Entries entries) {
    this.entries = List.copyOf(entries.list);
  }

  @Override
  public Optional<Credentials> find(CredentialType type, String url) {
    Objects.requireNonNull(type, "type");
    if (url == null) {
      return Optional.empty();
    }
    String normalized = type.normalize(url);
    for (Entry entry : entries) {
      if (entry.type == type && entry.matches(url, normalized)) {
        return Optional.of(entry.credentials);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "InMemoryCredentialsProvider[" + entries.size() + " entries]";
  }

  /** The entries a builder collects (mutable until handed to the provider, which copies them). */
  public static final class Entries {
    private final List<Entry> list = new ArrayList<>();

    /** Adds credentials for one URL. */
    public void addExact(CredentialType type, String repoUrl, Credentials credentials) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(credentials, "credentials");
      if (repoUrl == null || repoUrl.isBlank()) {
        throw new IllegalArgumentException("repoURL must not be blank");
      }
      list.add(new Entry(type, type.normalize(repoUrl), null, credentials));
    }

    /** Adds credentials for URLs a regular expression finds a match in. */
    public void addPattern(CredentialType type, String pattern, Credentials credentials) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(credentials, "credentials");
      if (pattern == null || pattern.isEmpty()) {
        throw new IllegalArgumentException("repoURL pattern must not be empty");
      }
      try {
        list.add(new Entry(type, null, Pattern.compile(pattern), credentials));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("repoURL pattern does not compile: " + e.getDescription()
            + " near index " + e.getIndex(), e);
      }
    }
  }

  private record Entry(CredentialType type, String normalizedUrl, Pattern pattern, Credentials credentials) {
    boolean matches(String raw, String normalized) {
      if (pattern != null) {
        return pattern.matcher(raw).find() || pattern.matcher(normalized).find();
      }
      return normalizedUrl.equals(normalized);
    }
  }
}
