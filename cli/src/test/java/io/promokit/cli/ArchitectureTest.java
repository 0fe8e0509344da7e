package io.promokit.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The module rules of ARCHITECTURE.md, checked over every promokit class on the command's class path. */
@AnalyzeClasses(packages = "io.promokit", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** Core's packages; {@code io.promokit.steps.<family>} are the step modules (Argo CD's uses fabric8). */
  private static final String[] CORE = {
    "io.promokit", "io.promokit.spi..", "io.promokit.event..", "io.promokit.steps", "io.promokit.steps.kit..",
    "io.promokit.internal..", "io.promokit.runtime"
  };

  @ArchTest
  static final ArchRule coreNeverImportsJexlDockerJavaOrFabric8 = noClasses()
      .that().resideInAnyPackage(CORE)
      .should().dependOnClassesThat().resideInAnyPackage(
          "org.apache.commons.jexl3..", "com.github.dockerjava..", "io.fabric8..");

  @ArchTest
  static final ArchRule expressionsNeverImportsCore = noClasses()
      .that().resideInAPackage("io.promokit.expressions..")
      .should().dependOnClassesThat().resideInAnyPackage(CORE);

  @ArchTest
  static final ArchRule nothingOutsideExpressionsUsesItsInternals = noClasses()
      .that().resideOutsideOfPackage("io.promokit.expressions..")
      .should().dependOnClassesThat().resideInAPackage("io.promokit.expressions.internal..");

  @ArchTest
  static final ArchRule nothingOutsideCoreUsesItsInternals = noClasses()
      .that().resideOutsideOfPackages(CORE)
      .should().dependOnClassesThat().resideInAPackage("io.promokit.internal..");

  @ArchTest
  static final ArchRule runtimesKeepTheirInternalsToThemselves = noClasses()
      .that().resideOutsideOfPackages("io.promokit.runtime.docker..")
      .should().dependOnClassesThat().resideInAPackage("io.promokit.runtime.docker.internal..")
      .allowEmptyShould(true);

  @ArchTest
  static final ArchRule publicApiKeepsJexlOut = noClasses()
      .that().resideInAPackage("io.promokit.expressions").and().arePublic()
      .should().dependOnClassesThat().resideInAPackage("org.apache.commons.jexl3..");

  /** Step modules build on core's public step kit only (io.promokit.steps.. also holds the built-ins). */
  @ArchTest
  static final ArchRule theGitStepsUseOnlyCoresPublicApi = noClasses()
      .that().resideInAPackage("io.promokit.steps.git..")
      .should().dependOnClassesThat().resideInAnyPackage("io.promokit.internal..", "io.promokit.runtime..");

  @ArchTest
  static final ArchRule theGitStepsKeepOnePublicClass = classes()
      .that().resideInAPackage("io.promokit.steps.git").and().arePublic().and().areTopLevelClasses()
      .should().haveSimpleName("GitSteps");

  @ArchTest
  static final ArchRule theOciStepsUseOnlyCoresPublicApi = noClasses()
      .that().resideInAPackage("io.promokit.steps.oci..")
      .should().dependOnClassesThat().resideInAnyPackage("io.promokit.internal..", "io.promokit.runtime..");

  @ArchTest
  static final ArchRule theOciStepsKeepOnePublicClass = classes()
      .that().resideInAPackage("io.promokit.steps.oci").and().arePublic().and().areTopLevelClasses()
      .should().haveSimpleName("OciSteps");
  static final ArchRule theArgoCdStepsUseOnlyCoresPublicApi = noClasses()
      .that().resideInAPackage("io.promokit.steps.argocd..")
      .should().dependOnClassesThat().resideInAnyPackage("io.promokit.internal..", "io.promokit.runtime..");

  @ArchTest
  static final ArchRule theArgoCdStepsKeepOnePublicClass = classes()
      .that().resideInAPackage("io.promokit.steps.argocd").and().arePublic().and().areTopLevelClasses()
      .should().haveSimpleName("ArgoCdSteps");
}
