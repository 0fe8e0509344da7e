package io.promokit.steps.oci;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code WWW-Authenticate} challenge of a registry's 401 answer: its scheme ({@code bearer} or
 * {@code basic}, lower-cased) and its parameters ({@code realm}, {@code service}, {@code scope}), read as RFC 7235
 * says (quoted strings with backslash escapes, several challenges in one header separated by commas).
 */
record AuthChallenge(String scheme, Map<String, String> parameters) {

  AuthChallenge {
    parameters = Map.copyOf(parameters);
  }

  boolean isBearer() {
    return scheme.equals("bearer");
  }

  boolean isBasic() {
    return scheme.equals("basic");
  }

  Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters.get(name));
  }

  /** The first Bearer challenge among the headers, else the first Basic one, else empty. */
  static Optional<AuthChallenge> choose(List<String> headers) {
    AuthChallenge basic = null;
    for (String header : headers) {
      for (AuthChallenge challenge : parse(header)) {
        if (challenge.isBearer()) {
          return Optional.of(challenge);
        }
        if (challenge.isBasic() && basic == null) {
          basic = challenge;
        }
      }
    }
    return Optional.ofNullable(basic);
  }

  /** Every challenge in one header value; text that does not parse ends the list. */
  static List<AuthChallenge> parse(String header) {
    List<AuthChallenge> challenges = new java.util.ArrayList<>();
    Scanner in = new Scanner(header);
    while (true) {
      in.skipSeparators();
      String scheme = in.token();
      if (scheme.isEmpty()) {
        return challenges;
      }
      Map<String, String> params = new LinkedHashMap<>();
      while (true) {
        in.skipSpaces();
        int mark = in.position;
        String name = in.token();
        in.skipSpaces();
        if (name.isEmpty() || !in.take('=')) {
          in.position = mark;   // the next challenge's scheme (or the end)
          break;
        }
        in.skipSpaces();
        params.put(name.toLowerCase(Locale.ROOT), in.peek() == '"' ? in.quoted() : in.token());
        in.skipSpaces();
        if (!in.take(',')) {
          break;
        }
      }
      challenges.add(new AuthChallenge(scheme.toLowerCase(Locale.ROOT), params));
    }
  }

  private static final class Scanner {
    private final String text;
    private int position;

    Scanner(String text) {
      this.text = text == null ? "" : text;
    }

    char peek() {
      return position < text.length() ? text.charAt(position) : 0;
    }

    boolean take(char c) {
      if (peek() == c) {
        position++;
        return true;
      }
      return false;
    }

    void skipSpaces() {
      while (peek() == ' ' || peek() == '\t') {
        position++;
      }
    }

    void skipSeparators() {
      while (peek() == ' ' || peek() == '\t' || peek() == ',') {
        position++;
      }
    }

    /** An RFC 7230 token (also token68 characters such as {@code /} and {@code =} inside it are not). */
    String token() {
      int start = position;
      while (position < text.length() && "!#$%&'*+-.^_`|~:/".indexOf(text.charAt(position)) >= 0
          || position < text.length() && Character.isLetterOrDigit(text.charAt(position))) {
        position++;
      }
      return text.substring(start, position);
    }

    String quoted() {
      StringBuilder value = new StringBuilder();
      position++;   // the opening quote
      while (position < text.length()) {
        char c = text.charAt(position++);
        if (c == '\\' && position < text.length()) {
          value.append(text.charAt(position++));
        } else if (c == '"') {
          break;
        } else {
          value.append(c);
        }
      }
      return value.toString();
    }
  }
}
