package io.promokit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Kargo's own normalisation vectors (pkg/urls), so credentials match exactly where Kargo's would. */
class RepoUrlsTest {

  static Stream<Arguments> gitUrls() {
    return Stream.of(
        // unparsable: as is
        Arguments.of("https://not a url", "https://not a url"),
        Arguments.of("http://github.com/example/repo?foo=bar", "http://github.com/example/repo?foo=bar"),
        Arguments.of("ssh://not a url", "ssh://not a url"),
        Arguments.of("ssh://github.com/example/repo?foo=bar", "ssh://github.com/example/repo?foo=bar"),
        Arguments.of("not even remotely a url", "not even remotely a url"),
        Arguments.of("https://github.com /example/repo", "https://github.com /example/repo"),
        Arguments.of("https://github.com/example%20repo", "https://github.com/example%20repo"),
        // http(s): user-info dropped, trailing / and .git removed, port kept
        Arguments.of("https://github.com", "https://github.com"),
        Arguments.of("https://github.com/", "https://github.com"),
        Arguments.of("https://foo:bar@github.com", "https://github.com"),
        Arguments.of("https://foo:bar@github.com/", "https://github.com"),
        Arguments.of("https://github.com/example/repo", "https://github.com/example/repo"),
        Arguments.of("https://github.com/example/repo/", "https://github.com/example/repo"),
        Arguments.of("https://github.com/example/repo.git", "https://github.com/example/repo"),
        Arguments.of("https://github.com/example/repo.git/", "https://github.com/example/repo"),
        Arguments.of("https://localhost:8443/example/repo.git/", "https://localhost:8443/example/repo"),
        Arguments.of("https://foo:bar@github.com/example/repo.git/", "https://github.com/example/repo"),
        Arguments.of("https://foo:bar@localhost:8443/example/repo.git", "https://localhost:8443/example/repo"),
        // Kargo's scheme check is case-sensitive: an upper-case scheme reads as SCP-style, as in Kargo
        Arguments.of("HTTPS://GitHub.com/Example/Repo.git", "ssh://https///github.com/example/repo"),
        Arguments.of("https://GitHub.com/Example/Repo.git", "https://github.com/example/repo"),
        // ssh: user-info kept
        Arguments.of("ssh://git.example.com", "ssh://git.example.com"),
        Arguments.of("ssh://git.example.com/", "ssh://git.example.com"),
        Arguments.of("ssh://git@git.example.com/", "ssh://git@git.example.com"),
        Arguments.of("ssh://github.com/example/repo.git/", "ssh://github.com/example/repo"),
        Arguments.of("ssh://localhost:2222/example/repo.git", "ssh://localhost:2222/example/repo"),
        Arguments.of("ssh://git@github.com/example/repo.git/", "ssh://git@github.com/example/repo"),
        Arguments.of("ssh://git@localhost:2222/example/repo/", "ssh://git@localhost:2222/example/repo"),
        // SCP-style
        Arguments.of("git.example.com", "ssh://git.example.com"),
        Arguments.of("git@git.example.com", "ssh://git@git.example.com"),
        Arguments.of("github.com:example/repo", "ssh://github.com/example/repo"),
        Arguments.of("github.com:example/repo.git/", "ssh://github.com/example/repo"),
        Arguments.of("git@github.com:example/repo.git", "ssh://git@github.com/example/repo"),
        Arguments.of("git@github.com:example/repo/", "ssh://git@github.com/example/repo"),
        // unusual white space around the URL
        Arguments.of(" \ufeffhttps://github.com/example/repo", "https://github.com/example/repo"),
        Arguments.of("https://github.com/example/repo\ufeff", "https://github.com/example/repo"),
        Arguments.of(" https://github.com/example/repo ", "https://github.com/example/repo"),
        Arguments.of("\tssh://github.com/example/repo\t", "ssh://github.com/example/repo"),
        Arguments.of("\nssh://github.com/example/repo\n", "ssh://github.com/example/repo"),
        Arguments.of(" \t\nhttps://github.com/example/repo\t\n ", "https://github.com/example/repo"),
        Arguments.of("\u00A0https://github.com/example/repo\u00A0", "https://github.com/example/repo"),
        Arguments.of("\u200Bhttps://github.com/example/repo\u200B", "https://github.com/example/repo"),
        Arguments.of("\ufeff\ufeffhttps://github.com/example/repo", "https://github.com/example/repo"));
  }

  @ParameterizedTest
  @MethodSource("gitUrls")
  void normalizesGitUrlsAsKargo(String in, String out) {
    assertThat(RepoUrls.normalizeGit(in)).isEqualTo(out);
  }

  @ParameterizedTest
  @CsvSource({
      "nginx, nginx",
      "nginx:1.25, nginx",
      "library/nginx, nginx",
      "docker.io/library/nginx, nginx",
      "index.docker.io/library/nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000, nginx",
      "docker.io/example/app, example/app",
      "ghcr.io/example/app:v1, ghcr.io/example/app",
      "localhost:5000/app, localhost:5000/app",
      "127.0.0.1:5443/promokit-test/busybox:1, 127.0.0.1:5443/promokit-test/busybox",
      "Not/Valid, Not/Valid",
  })
  void normalizesImageReferences(String in, String out) {
    assertThat(RepoUrls.normalizeImage(in)).isEqualTo(out);
  }

  @ParameterizedTest
  @CsvSource({
      "oci://GHCR.io/example/charts/app, ghcr.io/example/charts/app",
      "' https://Charts.Example.com/stable ', https://charts.example.com/stable",
  })
  void normalizesChartRepositories(String in, String out) {
    assertThat(RepoUrls.normalizeChart(in)).isEqualTo(out);
  }
}
