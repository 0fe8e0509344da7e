package io.promokit.steps.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.PromotionContext;
import io.promokit.documents.PromotionDocuments;
import io.promokit.PromotionPhase;
import io.promokit.records.PromotionRecord;
import io.promokit.PromotionEngine;
import io.promokit.StepRegistry;
import io.promokit.event.LogLine;
import io.promokit.event.PromotionListener;
import io.promokit.spi.CredentialType;
import io.promokit.spi.Credentials;
import io.promokit.spi.CredentialsProvider;
import io.promokit.testkit.gitops.GitSshServer;
import io.promokit.testkit.gitops.TestGpgKey;
import io.promokit.testkit.gitops.TestSshKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole promotion (clone, edit, commit, tag, push) through the engine, over HTTP with a password and over
 * SSH with a key, signing with a GPG key: afterwards no secret is in the record, in any log line, in any file
 * under the working directory (the clone's git configs included), and the steps' private folders are gone.
 */
class CredentialsNeverLeakTest {

  private static final String TEMPLATE = """
      vars:
        - name: repoURL
      steps:
        - uses: git-clone
          as: clone
          config:
            repoURL: ${{ vars.repoURL }}
            checkout:
              - branch: main
                path: ./repo
        - uses: yaml-update
          as: edit
          config:
            path: ./repo/apps/shop/values.yaml
            updates:
              - key: image.tag
                value: v2.0.0
        - uses: git-commit
          as: commit
          config:
            path: ./repo
            message: ${{ outputs.edit.commitMessage }}
        - uses: git-tag
          config:
            path: ./repo
            tag: promoted
            message: promoted
        - uses: git-push
          as: push
          config:
            path: ./repo
        - uses: git-push
          config:
            path: ./repo
            tag: promoted
      """;

  @TempDir
  Path tmp;

  @Test
  void overHttpWithAPassword() throws Exception {
    try (GitFixture fx = new GitFixture(tmp)) {
      TestGpgKey gpg = TestGpgKey.generate(tmp.resolve("k"), "Bot", "bot@example.com");
      GitSteps steps = fx.stepsBuilder().author("Bot", "bot@example.com").signingKey(gpg.armoredPrivateKey()).build();

      Outcome outcome = promote(fx, steps, fx.url);

      assertThat(outcome.record.phase()).as(outcome.record.message()).isEqualTo(PromotionPhase.SUCCEEDED);
      assertThat(fx.repo.readFile("main", "apps/shop/values.yaml")).contains("image:\n  tag: v2.0.0\n");
      assertThat(fx.server.requests()).filteredOn(r -> r.isPush()).anySatisfy(r -> assertThat(r.user()).isEqualTo("alice"));
      assertNoLeak(fx, outcome, List.of(fx.password, secretLine(gpg.armoredPrivateKey())));
    }
  }

  @Test
  void overSshWithAKey() throws Exception {
    try (GitFixture fx = new GitFixture(tmp)) {
      TestSshKey key = TestSshKey.generate(tmp.resolve("keys"));
      try (GitSshServer ssh = GitSshServer.builder(fx.served).authorizedKey(key).stateDir(tmp.resolve("ssh")).start()) {
        String url = ssh.url(GitFixture.REPO);
        GitSteps steps = fx.stepsBuilder().credentials(CredentialsProvider.builder()
            .add(CredentialType.GIT, url, Credentials.sshPrivateKey(key.privateKey())).build()).build();

        Outcome outcome = promote(fx, steps, url);

        assertThat(outcome.record.phase()).as(outcome.record.message()).isEqualTo(PromotionPhase.SUCCEEDED);
        assertThat(ssh.commands()).contains("git-receive-pack '/promokit/app.git'");
        assertThat(fx.repo.readFile("main", "apps/shop/values.yaml")).contains("image:\n  tag: v2.0.0\n");
        List<String> keyLines = key.privateKey().lines().filter(l -> l.length() > 20 && !l.startsWith("-----")).toList();
        assertNoLeak(fx, outcome, keyLines);
      }
    }
  }

  private record Outcome(PromotionRecord record, List<String> logLines) {}

  private static Outcome promote(GitFixture fx, GitSteps steps, String url) {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    try (PromotionEngine engine = PromotionEngine.builder()
        .registry(StepRegistry.builder().withBuiltins().register(steps.steps()).build())
        .build()) {
      PromotionRecord record = engine.sequence(PromotionDocuments.parse(TEMPLATE, "promote.yaml").singleTemplate())
          .context(PromotionContext.builder().project("shop").stage("prod").promotion("leak-check").build())
          .var("repoURL", url)
          .workdir(fx.workdir)
          .listener(new PromotionListener() {
            @Override
            public void logLine(LogLine event) {
              lines.add(event.text());
            }
          })
          .build()
          .run();
      return new Outcome(record, lines);
    }
  }

  private static void assertNoLeak(GitFixture fx, Outcome outcome, List<String> secrets) throws IOException {
    assertThat(outcome.logLines).as("the steps logged what git ran").isNotEmpty();
    String json = outcome.record.toJson();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(fx.workdir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).as("the clone's configs are among the files scanned")
        .anyMatch(f -> f.getFileName().toString().equals(".gitconfig"))
        .anyMatch(f -> f.toString().endsWith("/repo/config"));
    for (String secret : secrets) {
      byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
      assertThat(json).doesNotContain(secret);
      assertThat(outcome.logLines).noneMatch(l -> l.contains(secret));
      for (Path file : files) {
        assertThat(indexOf(Files.readAllBytes(file), needle)).as(file + " holds no secret").isEqualTo(-1);
      }
    }
    assertThat(fx.scratchLeftovers()).as("askpass helpers, key files and GnuPG homes are deleted").isEmpty();
  }

  private static String secretLine(String armored) {
    return armored.lines().filter(l -> l.length() > 40 && !l.startsWith("-----")).findFirst().orElseThrow();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
