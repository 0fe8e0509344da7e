package io.promokit.expressions;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.promokit");

  @Test
  void thePublicApiDoesNotDependOnJexl() {
    noClasses().that().resideInAPackage("io.promokit.expressions").and().arePublic()
        .should().dependOnClassesThat().resideInAPackage("org.apache.commons.jexl3..")
        .check(CLASSES);
  }

  @Test
  void theModuleDependsOnNoPromokitPackageOutsideItself() {
    noClasses().that().resideInAPackage("io.promokit.expressions..")
        .should().dependOnClassesThat(resideInAPackage("io.promokit..")
            .and(not(resideInAPackage("io.promokit.expressions.."))))
        .check(CLASSES);
  }
}
