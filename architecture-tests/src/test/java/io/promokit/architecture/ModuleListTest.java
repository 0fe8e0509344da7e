package io.promokit.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The rules' module list matches the modules on the class path: none missing, none extra. */
class ModuleListTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.promokit");

  @Test
  void everyModuleTheRulesNameHasClassesAndEveryModuleWithClassesIsNamed() {
    assertThat(Modules.present(CLASSES)).containsExactlyInAnyOrderElementsOf(Modules.ALL);
  }

  @Test
  void everyPromokitClassHasAModule() {
    assertThat(CLASSES.stream().filter(c -> Modules.of(c).isEmpty()).map(c -> c.getName()).toList()).isEmpty();
  }

  @Test
  void modulesAreReadOffReactorFoldersAndRepositoryJars() {
    assertThat(Modules.of("file:/work/promokit/steps-git/target/classes/io/promokit/steps/git/GitSteps.class"))
        .isEqualTo("steps-git");
    assertThat(Modules.of("jar:file:/work/promokit/core/target/promokit-core-0.1.0-SNAPSHOT.jar!/io/promokit/X.class"))
        .isEqualTo("core");
    assertThat(Modules.of("jar:file:/root/.m2/repository/io/promokit/promokit-testkit-gitops/0.1.0/"
        + "promokit-testkit-gitops-0.1.0.jar!/io/promokit/testkit/gitops/GitDaemon.class")).isEqualTo("testkit-gitops");
    assertThat(Modules.of("jar:file:/lib/jackson-core-2.23.0.jar!/com/fasterxml/X.class")).isEmpty();
  }
}
