package io.promokit.steps.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.RegisteredStep;
import io.promokit.steps.kit.StepAttempt;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Kargo's "convert" test cases of the git steps, translated: which configs the schemas accept and why not. */
class ConfigSchemasTest {

  private static final Map<String, RegisteredStep> STEPS = new HashMap<>();

  static {
    GitSteps.create().steps().forEach(s -> STEPS.put(s.name(), s));
  }

  private static Optional<String> check(String step, Map<String, ?> config) {
    return StepAttempt.checkConfig(STEPS.get(step).options(), config);
  }

  private static Map<String, Object> with(Map<String, ?> base, Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void gitClone() {
    Map<String, Object> checkout = Map.of("path", "src");
    assertThat(check("git-clone", Map.of()))
        .contains("invalid config: config.repoURL: is required; config.checkout: is required");
    assertThat(check("git-clone", Map.of("repoURL", "", "checkout", List.of())))
        .contains("invalid config: config.repoURL: must not be empty; config.checkout: must have at least 1 item, but had 0");
    assertThat(check("git-clone", Map.of("repoURL", "x", "checkout", List.of(Map.of()))))
        .contains("invalid config: config.checkout[0].path: is required");
    for (List<String> pair : List.of(List.of("branch", "commit"), List.of("branch", "tag"), List.of("commit", "tag"))) {
      assertThat(check("git-clone", Map.of("repoURL", "x",
          "checkout", List.of(Map.of("path", "p", pair.get(0), "a", pair.get(1), "b")))))
          .as(pair.toString()).hasValueSatisfying(m -> assertThat(m)
              .startsWith("invalid config: config.checkout[0]: matches none of the allowed forms ("));
    }
    assertThat(check("git-clone", Map.of("repoURL", "x", "checkout", List.of(checkout), "author", Map.of("email", "a@example.com"))))
        .contains("invalid config: config.author.name: is required");
    assertThat(check("git-clone", Map.of("repoURL", "x", "checkout", List.of(checkout), "author", Map.of("name", "", "email", "a@example.com"))))
        .contains("invalid config: config.author.name: must not be empty");
    assertThat(check("git-clone", Map.of("repoURL", "x", "checkout", List.of(checkout), "author", Map.of("name", "n"))))
        .contains("invalid config: config.author.email: is required");
    assertThat(check("git-clone", Map.of("repoURL", "x", "checkout", List.of(checkout), "author", Map.of("name", "n", "email", ""))))
        .contains("invalid config: config.author.email: must be a valid email, but was \"\"");
    // valid: SCP-style URL, empty or missing signingKey, "" and null as unset refs, the kitchen sink
    assertThat(check("git-clone", Map.of("repoURL", "git@github.com:example/repo.git", "checkout", List.of(checkout),
        "author", Map.of("name", "n", "email", "n@example.com", "signingKey", "")))).isEmpty();
    Map<String, Object> unsetRefs = new HashMap<>(Map.of("path", "p", "branch", "", "tag", ""));
    unsetRefs.put("commit", null);
    assertThat(check("git-clone", Map.of("repoURL", "x", "checkout", List.of(unsetRefs)))).isEmpty();
    assertThat(check("git-clone", Map.of(
        "repoURL", "https://github.com/example/repo.git",
        "insecureSkipTLSVerify", true, "recurseSubmodules", true, "blobless", true,
        "author", Map.of("name", "n", "email", "n@example.com", "signingKey", "key"),
        "checkout", List.of(
            Map.of("branch", "main", "path", "a", "as", "x", "sparse", List.of("apps")),
            Map.of("branch", "stage/prod", "create", true, "path", "b"),
            Map.of("commit", "abc", "path", "c"),
            Map.of("tag", "v1", "path", "d"))))).isEmpty();
  }

  @Test
  void gitCommitClearAndTag() {
    assertThat(check("git-commit", Map.of())).contains("invalid config: config.path: is required; config.message: is required");
    assertThat(check("git-commit", Map.of("path", "", "message", "")))
        .contains("invalid config: config.path: must not be empty; config.message: must not be empty");
    assertThat(check("git-commit", Map.of("path", "p", "message", "m", "author", Map.of("name", "n"))))
        .contains("invalid config: config.author.email: is required");
    assertThat(check("git-commit", Map.of("path", "p", "message", "m", "author", Map.of("name", "", "email", "e@x.io"))))
        .contains("invalid config: config.author.name: must not be empty");
    assertThat(check("git-commit", Map.of("path", "p", "message", "m"))).isEmpty();
    assertThat(check("git-commit", Map.of("path", "p", "message", "m",
        "author", Map.of("name", "n", "email", "e@x.io", "signingKey", "")))).isEmpty();

    assertThat(check("git-clear", Map.of())).contains("invalid config: config.path: is required");
    assertThat(check("git-clear", Map.of("path", ""))).contains("invalid config: config.path: must not be empty");

    assertThat(check("git-tag", Map.of()))
        .contains("invalid config: config.path: is required; config.tag: is required; config.message: is required");
    assertThat(check("git-tag", Map.of("path", "", "tag", "", "message", "")))
        .contains("invalid config: config.path: must not be empty; config.tag: must not be empty; config.message: must not be empty");
    assertThat(check("git-tag", Map.of("path", "p", "tag", "v1", "message", "m"))).isEmpty();
    assertThat(check("git-tag", Map.of("path", "p", "tag", "v1", "message", "m", "force", true, "extra", 1))).isEmpty();
  }

  @Test
  void gitPush() {
    Map<String, Object> base = Map.of("path", "p");
    assertThat(check("git-push", Map.of())).contains("invalid config: config.path: is required");
    assertThat(check("git-push", Map.of("path", ""))).contains("invalid config: config.path: must not be empty");
    assertThat(check("git-push", with(base, "maxAttempts", 0)))
        .contains("invalid config: config.maxAttempts: must be at least 1, but was 0");
    assertThat(check("git-push", with(base, "maxAttempts", 2147483648L)))
        .contains("invalid config: config.maxAttempts: must be at most 2147483647, but was 2147483648");
    assertThat(check("git-push", with(base, "provider", "bogus")))
        .contains("invalid config: config.provider: must be one of \"azure\", \"bitbucket\", \"gitea\", \"github\", "
            + "\"gitlab\", but was \"bogus\"");
    // valid shapes
    assertThat(check("git-push", with(base, "generateTargetBranch", true))).isEmpty();
    assertThat(check("git-push", with(base, "generateTargetBranch", true, "targetBranch", ""))).isEmpty();
    assertThat(check("git-push", base)).isEmpty();
    assertThat(check("git-push", with(base, "targetBranch", ""))).isEmpty();
    assertThat(check("git-push", with(base, "generateTargetBranch", false))).isEmpty();
    assertThat(check("git-push", with(base, "generateTargetBranch", false, "targetBranch", "main"))).isEmpty();
    assertThat(check("git-push", with(base, "force", true))).isEmpty();
    assertThat(check("git-push", with(base, "force", false))).isEmpty();
    Map<String, Object> nulls = new HashMap<>(base);
    nulls.put("targetBranch", null);
    nulls.put("generateTargetBranch", null);
    nulls.put("tag", null);
    nulls.put("force", null);
    assertThat(check("git-push", nulls)).as("null counts as unset").isEmpty();
    assertThat(check("git-push", with(base, "tag", "v1"))).isEmpty();
    assertThat(check("git-push", with(base, "targetBranch", "main", "maxAttempts", 3, "provider", "github"))).isEmpty();
    // not one of the shapes
    for (Map<String, Object> invalid : List.of(
        with(base, "generateTargetBranch", true, "targetBranch", "main"),
        with(base, "tag", "v1", "generateTargetBranch", true),
        with(base, "tag", "v1", "targetBranch", "main"),
        with(base, "tag", "v1", "force", true))) {
      assertThat(check("git-push", invalid)).as(invalid.toString()).hasValueSatisfying(m -> assertThat(m)
          .startsWith("invalid config: config: matches none of the allowed forms ("));
    }
  }
}
