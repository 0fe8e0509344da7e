package io.promokit.testkit.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BareRepositoryTest {

  @TempDir
  Path tmp;

  @Test
  void commitsFilesOnTopOfTheBranch() {
    BareRepository repo = BareRepository.create(tmp.resolve("app.git"));
    String first = repo.commit("main", "first", Map.of("a.txt", "A\n", "dir/b.txt", "B\n"));
    String second = repo.commit(CommitSpec.on("main").message("second").write("a.txt", "A2\n").delete("dir/b.txt")).get(0);

    assertThat(repo.head("main")).contains(second);
    assertThat(repo.parents(second)).containsExactly(first);
    assertThat(repo.files("main")).containsExactly("a.txt");
    assertThat(repo.readFile("main", "a.txt")).contains("A2\n");
    assertThat(repo.readFile(first, "dir/b.txt")).contains("B\n");
    assertThat(repo.messages("main")).containsExactly("second", "first");
    assertThat(repo.name()).isEqualTo("app.git");
  }

  @Test
  void newBranchesStartWhereTheyAreToldOrWithoutParent() {
    BareRepository repo = BareRepository.create(tmp.resolve("app.git"));
    String base = repo.commit("main", "base", Map.of("a", "1"));
    List<String> shas = repo.commit(
        CommitSpec.on("feature").from("main").message("on feature").write("b", "2"),
        CommitSpec.on("orphan").message("alone").write("c", "3"));

    assertThat(repo.parents(shas.get(0))).containsExactly(base);
    assertThat(repo.parents(shas.get(1))).isEmpty();
    assertThat(repo.branches()).containsExactly("feature", "main", "orphan");
  }

  @Test
  void branchesTagsAndTheDefaultBranch() {
    BareRepository repo = BareRepository.create(tmp.resolve("app.git"), "trunk");
    String sha = repo.commit("trunk", "base", Map.of("a", "1"));
    repo.createBranch("stage/dev", "trunk");
    repo.tag("v1", "trunk");
    repo.annotatedTag("v2", sha, "release 2");
    repo.setDefaultBranch("stage/dev");

    assertThat(repo.tags()).containsExactly("v1", "v2");
    assertThat(repo.resolve("v2")).contains(sha);
    assertThat(repo.git("symbolic-ref", "HEAD").strip()).isEqualTo("refs/heads/stage/dev");
    repo.deleteBranch("stage/dev");
    assertThat(repo.head("stage/dev")).isEmpty();
  }

  @Test
  void manyFilesAndCommitsInOneRun() {
    BareRepository repo = BareRepository.create(tmp.resolve("big.git"));
    List<CommitSpec> specs = new ArrayList<>();
    CommitSpec first = CommitSpec.on("main").message("files").at(Instant.parse("2026-01-01T00:00:00Z"));
    for (int i = 0; i < 2_000; i++) {
      first.write("files/f" + i + ".txt", "content " + i + "\n");
    }
    specs.add(first);
    for (int i = 0; i < 50; i++) {
      specs.add(CommitSpec.on("main").message("change " + i).write("files/f" + i + ".txt", "changed\n"));
    }
    List<String> shas = repo.commit(specs);

    assertThat(shas).hasSize(51).doesNotHaveDuplicates();
    assertThat(repo.files("main")).hasSize(2_000);
    assertThat(repo.messages("main")).hasSize(51).startsWith("change 49");
  }

  @Test
  void submoduleGitlinks() {
    BareRepository sub = BareRepository.create(tmp.resolve("sub.git"));
    String subSha = sub.commit("main", "sub", Map.of("sub.txt", "in sub\n"));
    BareRepository repo = BareRepository.create(tmp.resolve("app.git"));
    repo.commit(CommitSpec.on("main").message("with submodule")
        .write(".gitmodules", "[submodule \"sub\"]\n\tpath = sub\n\turl = ../sub.git\n")
        .submodule("sub", subSha));

    assertThat(repo.git("ls-tree", "main", "sub")).startsWith("160000 commit " + subSha);
  }

  @Test
  void rejectsWhatIsNotARepository() {
    assertThatThrownBy(() -> BareRepository.open(tmp))
        .hasMessage(tmp + " is not a bare git repository (no HEAD file)");
    assertThatThrownBy(() -> CommitSpec.on(" "))
        .hasMessage("branch must not be blank, but was \" \"");
  }
}
