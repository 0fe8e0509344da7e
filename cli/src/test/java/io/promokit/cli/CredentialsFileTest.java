package io.promokit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.spi.CredentialType;
import io.promokit.spi.Credentials;
import io.promokit.spi.CredentialsProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsFileTest {

  @TempDir
  Path tmp;

  private Path file(String name, String yaml) throws Exception {
    return Files.writeString(tmp.resolve(name), yaml);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsKargoCredentialSecretsFromSeveralDocumentsAndFiles() throws Exception {
    Path git = file("git.yaml", """
        apiVersion: v1
        kind: Secret
        metadata:
          name: b-repo
          namespace: kargo-demo
          labels:
            kargo.akuity.io/cred-type: git
        stringData:
          repoURL: https://github.com/example/repo
          username: bot
          password: s3cret-token
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: not-a-secret
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: unlabelled
        stringData:
          repoURL: https://github.com/example/repo
          password: ignored
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: a-ssh
          labels:
            kargo.akuity.io/cred-type: git
        data:
          repoURL: %s
          repoURLIsRegex: %s
          sshPrivateKey: %s
        """.formatted(b64("^ssh://git@github\\.com/example/"), b64("true"), b64("-----BEGIN KEY-----\nabc\n")));
    Path helm = file("helm.yaml", """
        kind: Secret
        metadata:
          name: charts
          labels:
            kargo.akuity.io/cred-type: helm
        data:
          username: %s
          password: %s
        stringData:
          repoURL: oci://ghcr.io/example/charts
          password: from-string-data
        """.formatted(b64("helm-user"), b64("from-data")));

    CredentialsProvider provider = CredentialsFile.read(List.of(git, helm));

    assertThat(provider.find(CredentialType.GIT, "https://github.com/example/repo.git"))
        .contains(Credentials.usernamePassword("bot", "s3cret-token"));
    assertThat(provider.find(CredentialType.GIT, "git@github.com:example/other.git"))
        .contains(Credentials.sshPrivateKey("-----BEGIN KEY-----\nabc\n"));
    assertThat(provider.find(CredentialType.HELM, "oci://ghcr.io/example/charts"))
        .contains(Credentials.usernamePassword("helm-user", "from-string-data"));
    assertThat(provider.find(CredentialType.IMAGE, "ghcr.io/example/charts")).isEmpty();
  }

  @Test
  void secretsAreTriedInNameOrder() throws Exception {
    Path f = file("creds.yaml", """
        kind: Secret
        metadata: {name: z-specific, labels: {kargo.akuity.io/cred-type: git}}
        stringData: {repoURL: https://github.com/example/repo, username: z, password: zz}
        ---
        kind: Secret
        metadata: {name: a-broad, labels: {kargo.akuity.io/cred-type: git}}
        stringData: {repoURL: github.com, repoURLIsRegex: "true", username: a, password: aa}
        """);

    assertThat(CredentialsFile.read(List.of(f)).find(CredentialType.GIT, "https://github.com/example/repo"))
        .contains(Credentials.usernamePassword("a", "aa"));
  }

  @Test
  void problemsNameFileAndLineAndNeverTheSecret() throws Exception {
    Path badBase64 = file("b64.yaml", """
        kind: Secret
        metadata:
          name: repo
          labels:
            kargo.akuity.io/cred-type: git
        data:
          repoURL: %s
          username: %s
          password: "not*base64!TOPSECRET"
        """.formatted(b64("https://x"), b64("u")));
    assertThatThrownBy(() -> CredentialsFile.read(List.of(badBase64)))
        .isInstanceOf(BadInputException.class)
        .hasMessage(badBase64 + ":9: Secret \"repo\": data.password is not valid base64")
        .message().doesNotContain("TOPSECRET");

    Path onlyPassword = file("pw.yaml", """
        kind: Secret
        metadata:
          name: repo
          labels:
            kargo.akuity.io/cred-type: git
        stringData:
          repoURL: https://x
          password: TOPSECRET
        """);
    assertThatThrownBy(() -> CredentialsFile.read(List.of(onlyPassword)))
        .hasMessage(onlyPassword + ":8: Secret \"repo\": username and password go together (Kargo ignores a "
            + "Secret with only one of them); username is missing or empty");

    Path unknownType = file("type.yaml", """
        kind: Secret
        metadata:
          name: repo
          labels:
            kargo.akuity.io/cred-type: docker
        stringData: {repoURL: x, username: u, password: p}
        """);
    assertThatThrownBy(() -> CredentialsFile.read(List.of(unknownType)))
        .hasMessage(unknownType + ":5: label kargo.akuity.io/cred-type: unknown credential type \"docker\" "
            + "(expected git, helm or image)");

    Path noUrl = file("nourl.yaml", """
        ---
        kind: Secret
        metadata:
          name: repo
          labels:
            kargo.akuity.io/cred-type: git
        stringData: {username: u, password: p}
        """);
    assertThatThrownBy(() -> CredentialsFile.read(List.of(noUrl)))
        .hasMessage(noUrl + ":2: Secret \"repo\": repoURL is required");

    Path badRegex = file("regex.yaml", """
        kind: Secret
        metadata:
          name: repo
          labels:
            kargo.akuity.io/cred-type: git
        stringData:
          repoURL: "(unclosed"
          repoURLIsRegex: "true"
          sshPrivateKey: KEY
        """);
    assertThatThrownBy(() -> CredentialsFile.read(List.of(badRegex)))
        .hasMessage(badRegex + ":7: Secret \"repo\": repoURL is not a valid regular expression: "
            + "Unclosed group near index 9");

    Path nothing = file("nothing.yaml", """
        kind: Secret
        metadata:
          name: repo
          labels:
            kargo.akuity.io/cred-type: git
        stringData:
          repoURL: https://x
        """);
    assertThatThrownBy(() -> CredentialsFile.read(List.of(nothing)))
        .hasMessage(nothing + ":1: Secret \"repo\": needs username and password, or sshPrivateKey");
  }

  @Test
  void syntaxErrorsDoNotQuoteTheFile() throws Exception {
    Path broken = file("broken.yaml", """
        kind: Secret
        stringData:
          password: TOPSECRET: more
        """);

    assertThatThrownBy(() -> CredentialsFile.read(List.of(broken)))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(broken + ":3:")
        .hasMessageContaining("not valid YAML/JSON: mapping values are not allowed here")
        .message().doesNotContain("TOPSECRET");
  }

  @Test
  void aKeyGivenTwiceIsRefusedWithoutItsValue() throws Exception {
    Path twice = file("twice.yaml", """
        kind: Secret
        stringData:
          password: FIRST-SECRET
          password: SECOND-SECRET
        """);

    assertThatThrownBy(() -> CredentialsFile.read(List.of(twice)))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(twice + ":4:")
        .hasMessageContaining("not valid YAML/JSON: key \"password\" appears twice in the same map")
        .message().doesNotContain("SECRET");
  }

  @Test
  void aTrailingDocumentMarkerAndEmptyMetadataAreSkipped() throws Exception {
    Path file = file("trailing.yaml", """
        apiVersion: v1
        kind: Secret
        metadata:
        stringData:
          password: not-a-credential
        ---
        """);

    assertThat(CredentialsFile.read(List.of(file)).find(CredentialType.GIT, "https://github.com/example/repo"))
        .isEmpty();
  }

  @Test
  void missingFile() {
    Path missing = tmp.resolve("missing.yaml");
    assertThatThrownBy(() -> CredentialsFile.read(List.of(missing))).hasMessage(missing + ": no such file");
  }
}
