package io.promokit.testkit.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promokit.testkit.gitops.GitProviderFake.Kind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fakes as a plain HTTP client sees them, without promokit's provider code: each reads the token from its
 * provider's header and answers 401 without it, and pages its pull request list the provider's way (GitHub and
 * Gitea a {@code Link} header, GitLab {@code X-Next-Page}, Azure DevOps {@code $skip}, Bitbucket a {@code next}
 * URL in the body).
 */
class GitProviderFakeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

  @TempDir
  Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();

  @ParameterizedTest
  @EnumSource(Kind.class)
  void listsComeInPagesAndOnlyForTheToken(Kind kind) throws Exception {
    try (GitProviderFake fake = GitProviderFake.builder(kind, tmp).start()) {
      String name = kind == Kind.AZURE ? "acme/shop/app" : kind == Kind.GITLAB ? "acme/platform/app" : "acme/app";
      BareRepository repo = fake.createRepository(name);
      repo.commit("main", "initial", Map.of("README.md", "hello\n"));
      for (int i = 1; i <= 3; i++) {
        repo.commit(CommitSpec.on("feature-" + i).from("main").message("change " + i).write("f" + i, "x\n"));
        fake.openPullRequest(name, "feature-" + i, "main", "change " + i);
      }
      URI list = URI.create(fake.apiBase() + switch (kind) {
        case GITHUB -> "/repos/acme/app/pulls?state=all";
        case GITLAB -> "/projects/acme%2Fplatform%2Fapp/merge_requests?state=all";
        case GITEA -> "/repos/acme/app/pulls?state=all";
        case AZURE -> "/acme/shop/_apis/git/repositories/app/pullrequests?searchCriteria.status=all&api-version=7.1";
        case BITBUCKET -> "/repositories/acme/app/pullrequests";
      });

      HttpResponse<String> anonymous = get(kind, list, null);
      HttpResponse<String> first = get(kind, list, fake.token());
      HttpResponse<String> second = get(kind, next(kind, list, first), fake.token());

      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      assertThat(items(kind, first)).hasSize(2);
      assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
      assertThat(items(kind, second)).hasSize(1);
      assertThat(fake.requests()).extracting(GitProviderFake.ApiRequest::authorized).containsExactly(false, true, true);
    }
  }

  private HttpResponse<String> get(Kind kind, URI uri, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    if (token != null) {
      switch (kind) {
        case GITHUB, BITBUCKET -> request.header("Authorization", "Bearer " + token);
        case GITLAB -> request.header("PRIVATE-TOKEN", token);
        case GITEA -> request.header("Authorization", "token " + token);
        case AZURE -> request.header("Authorization", "Basic "
            + Base64.getEncoder().encodeToString((":" + token).getBytes(StandardCharsets.UTF_8)));
      }
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI next(Kind kind, URI list, HttpResponse<String> page) throws Exception {
    return switch (kind) {
      case GITHUB, GITEA -> {
        Matcher link = NEXT_LINK.matcher(page.headers().firstValue("Link").orElse(""));
        assertThat(link.find()).as("Link: rel=\"next\" in " + page.headers().map()).isTrue();
        yield list.resolve(link.group(1));
      }
      case GITLAB -> URI.create(list + "&page=" + page.headers().firstValue("X-Next-Page").orElseThrow());
      case AZURE -> URI.create(list + "&$skip=2");
      case BITBUCKET -> list.resolve(JSON.readTree(page.body()).path("next").asText());
    };
  }

  private static JsonNode items(Kind kind, HttpResponse<String> page) throws Exception {
    JsonNode body = JSON.readTree(page.body());
    return switch (kind) {
      case AZURE -> body.path("value");
      case BITBUCKET -> body.path("values");
      default -> body;
    };
  }
}
