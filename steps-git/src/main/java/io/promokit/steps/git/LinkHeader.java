package io.promokit.steps.git;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code rel="next"} target of an RFC 8288 {@code Link} header, as GitHub, GitLab and Gitea page their lists. */
final class LinkHeader {

  private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]+)*)");
  private static final Pattern NEXT = Pattern.compile(";\\s*rel\\s*=\\s*\"?([^\";]*)\"?");

  private LinkHeader() {}

  /** The next page's URL, resolved against the request's URL; empty on the last page. */
  static Optional<URI> next(HttpHeaders headers, URI request) {
    for (String value : headers.allValues("Link")) {
      Matcher link = LINK.matcher(value);
      while (link.find()) {
        Matcher rel = NEXT.matcher(link.group(2));
        while (rel.find()) {
          for (String name : rel.group(1).strip().split("\\s+")) {
            if (name.equalsIgnoreCase("next")) {
              return Optional.of(request.resolve(link.group(1).strip()));
            }
          }
        }
      }
    }
    return Optional.empty();
  }
}
