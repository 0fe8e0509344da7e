package io.promokit.cli;

import io.promokit.RegisteredStep;
import io.promokit.spi.CredentialsProvider;
import io.promokit.steps.git.GitSteps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The git steps' options of {@code promokit run}: identity, push integration policy and the pull-request hosts'
 * API bases.
 */
final class GitOptions {

  private static final Pattern AUTHOR = Pattern.compile("^\\s*([^<>]*?)\\s*<([^<>\\s]+@[^<>\\s]+)>\\s*$");

  String author;

  String pushPolicy;

  final List<String> providerApis = new ArrayList<>();

  /** Declares the options. */
  void declare(Arguments arguments) {
    arguments.value("--git-author", "\"Name <email>\"",
        "Identity for commits and tags (a clone's author block wins).", value -> author = value);
    arguments.value("--git-push-policy", "POLICY", "AlwaysRebase (default) | AlwaysMerge | RebaseOrMerge | RebaseOrFail "
        + "(default: $GIT_PUSH_INTEGRATION_POLICY, else AlwaysRebase).", value -> pushPolicy = value);
    arguments.repeatable("--git-provider-api", "NAME=URL",
        "API base for a PR provider (github, gitlab, gitea, azure, bitbucket), repeatable "
            + "(default: derived from the repository URL as Kargo does).", providerApis::add);
  }

  /**
   * The git steps built from these options and the credentials.
   *
   * @throws BadInputException naming the option when a value is wrong
   */
  List<RegisteredStep> steps(CredentialsProvider credentials) {
    GitSteps.Builder builder = GitSteps.builder().credentials(credentials);
    if (author != null) {
      Matcher m = AUTHOR.matcher(author);
      if (!m.matches() || m.group(1).isEmpty()) {
        throw new BadInputException("--git-author: expected \"Name <email>\", but was \"" + author + "\"");
      }
      builder.author(m.group(1), m.group(2));
    }
    if (pushPolicy != null) {
      try {
        builder.pushIntegrationPolicy(GitSteps.PushIntegrationPolicy.fromName(pushPolicy));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--git-push-policy: " + e.getMessage());
      }
    }
    providerApis().forEach((name, url) -> {
      try {
        builder.providerApi(name, url);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--git-provider-api " + name + "=" + url + ": " + e.getMessage());
      }
    });
    try {
      return builder.build().steps();
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
  }

  /** The {@code --git-provider-api} values by provider name; a later value for a provider wins. */
  private Map<String, String> providerApis() {
    Map<String, String> apis = new LinkedHashMap<>();
    for (String value : providerApis) {
      int eq = value.indexOf('=');
      if (eq <= 0) {
        throw new BadInputException("--git-provider-api: expected NAME=URL, but was \"" + value + "\"");
      }
      apis.put(value.substring(0, eq).strip(), value.substring(eq + 1).strip());
    }
    return apis;
  }
}
