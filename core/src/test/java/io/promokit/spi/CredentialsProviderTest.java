package io.promokit.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CredentialsProviderTest {

  private static final Credentials TOKEN = Credentials.usernamePassword("bot", "t0ken-value");
  private static final Credentials KEY = Credentials.sshPrivateKey("-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n");

  @Test
  void matchesByNormalisedUrl() {
    CredentialsProvider provider = CredentialsProvider.builder()
        .add(CredentialType.GIT, "https://github.com/example/repo", TOKEN)
        .build();

    assertThat(provider.find(CredentialType.GIT, "https://user@GitHub.com/example/repo.git/")).contains(TOKEN);
    assertThat(provider.find(CredentialType.GIT, "https://github.com/example/other")).isEmpty();
    assertThat(provider.find(CredentialType.HELM, "https://github.com/example/repo")).isEmpty();
  }

  @Test
  void patternsSearchTheRawAndTheNormalisedUrl() {
    CredentialsProvider provider = CredentialsProvider.builder()
        .addPattern(CredentialType.GIT, "^ssh://git@github\\.com/example/", KEY)
        .addPattern(CredentialType.GIT, "Example/Upper\\.git$", TOKEN)
        .build();

    // SCP-style only matches after normalisation to ssh://
    assertThat(provider.find(CredentialType.GIT, "git@github.com:example/repo.git")).contains(KEY);
    // the raw URL keeps its case and .git suffix
    assertThat(provider.find(CredentialType.GIT, "https://host/Example/Upper.git")).contains(TOKEN);
    // unanchored: a match anywhere counts
    assertThat(CredentialsProvider.builder().addPattern(CredentialType.GIT, "example", TOKEN).build()
        .find(CredentialType.GIT, "https://host/my-example-repo")).contains(TOKEN);
  }

  @Test
  void firstMatchWins() {
    Credentials other = Credentials.usernamePassword("other", "other-secret");
    CredentialsProvider provider = CredentialsProvider.builder()
        .addPattern(CredentialType.GIT, "github\\.com", other)
        .add(CredentialType.GIT, "https://github.com/example/repo", TOKEN)
        .build();

    assertThat(provider.find(CredentialType.GIT, "https://github.com/example/repo")).contains(other);
  }

  @Test
  void credentialsNeverPrintTheirSecrets() {
    Credentials both = Credentials.builder().username("alice").password("pa55word").sshPrivateKey("KEYDATA").build();

    assertThat(both.toString()).isEqualTo("Credentials[username=alice, password=***, sshPrivateKey=***]");
    assertThat(KEY.toString()).isEqualTo("Credentials[username=<none>, password=<none>, sshPrivateKey=***]");
    assertThat(both.secrets()).containsExactly("pa55word", "KEYDATA");
    assertThat(both.username()).contains("alice");
  }

  @Test
  void badEntriesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> Credentials.builder().username("alice").build())
        .hasMessage("credentials need a password (or token) or an SSH private key");
    assertThatThrownBy(() -> CredentialsProvider.builder().addPattern(CredentialType.GIT, "(", TOKEN))
        .hasMessageStartingWith("repoURL pattern does not compile: Unclosed group near index 1");
    assertThatThrownBy(() -> CredentialsProvider.builder().add(CredentialType.GIT, " ", TOKEN))
        .hasMessage("repoURL must not be blank");
    assertThatThrownBy(() -> CredentialType.fromLabel("docker"))
        .hasMessage("unknown credential type \"docker\" (expected git, helm or image)");
  }

  @Test
  void noneFindsNothing() {
    assertThat(CredentialsProvider.NONE.find(CredentialType.IMAGE, "nginx")).isEmpty();
  }
}
