package io.promokit.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.promokit.architecture.Modules.inModule;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Optional;

/**
 * The module rules of the architecture, over the main classes of every module (this module depends on all of them).
 * Rules name modules (where a class was loaded from) rather than package lists, so a new package is covered at once.
 * ArchUnit fails a rule whose {@code that()} matches no class, so no rule here can pass by checking nothing;
 * {@link ModuleListTest} checks the module list itself.
 */
@AnalyzeClasses(packages = "io.promokit", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleRulesTest {

  /** A class a user can name: public, and (when nested) inside public classes. */
  static final DescribedPredicate<JavaClass> PUBLIC_API = DescribedPredicate.describe("are public API",
      ModuleRulesTest::isPublicApi);

  /** A class outside any {@code internal} package (a module's internals may be public to its own packages). */
  static final DescribedPredicate<JavaClass> NOT_INTERNAL = DescribedPredicate.describe("are not internal",
      c -> !Modules.isInternal(c));

  @ArchTest
  static final ArchRule coreNeverImportsJexlDockerJavaFabric8OrHelmJava = noClasses()
      .that(inModule("core"))
      .should().dependOnClassesThat().resideInAnyPackage(
          "org.apache.commons.jexl3..", "com.github.dockerjava..", "io.fabric8..", "com.marcnuri.helm..");

  @ArchTest
  static final ArchRule expressionsNeverImportsCore = noClasses()
      .that(inModule("expressions"))
      .should().dependOnClassesThat(inModule("core"));

  @ArchTest
  static final ArchRule noModuleUsesAnotherModulesInternalPackages = classes()
      .should(ApiConditions.notUseAnotherModulesInternals());

  @ArchTest
  static final ArchRule coresPublicApiExposesNoThirdPartyOrInternalTypes = classes()
      .that(inModule("core")).and(PUBLIC_API).and(NOT_INTERNAL)
      .should(ApiConditions.exposeOnlyJdkAndPublicPromokitTypes("", name -> false));

  @ArchTest
  static final ArchRule theExpressionsApiExposesNoJexlOrInternalTypes = classes()
      .that(inModule("expressions")).and(PUBLIC_API).and(NOT_INTERNAL)
      .should(ApiConditions.exposeOnlyJdkAndPublicPromokitTypes("", name -> false));

  /** Step modules and backend modules build on core's public API only (not its internals, not its local runtime). */
  @ArchTest
  static final ArchRule stepModulesUseOnlyCoresPublicApi = noClasses()
      .that(DescribedPredicate.describe("are in a steps-* module", c -> Modules.of(c).startsWith("steps-")))
      .should().dependOnClassesThat().resideInAnyPackage("io.promokit.internal..", "io.promokit.runtime..");

  @ArchTest
  static final ArchRule theGitStepsKeepOnePublicClass = onePublicClass("steps-git", "GitSteps");

  /** The manifest steps' host callback for Freight images is API too. */
  @ArchTest
  static final ArchRule theManifestStepsKeepTheirEntryClassAndFreightCallback = classes()
      .that(inModule("steps-manifests")).and().arePublic().and().areTopLevelClasses().and(NOT_INTERNAL)
      .should().haveSimpleName("ManifestSteps").orShould().haveSimpleName("FreightImageSource")
      .orShould().haveSimpleName("FreightImage");

  @ArchTest
  static final ArchRule theFileStepsKeepOnePublicClass = onePublicClass("steps-files", "FileSteps");

  @ArchTest
  static final ArchRule theOciStepsKeepOnePublicClass = onePublicClass("steps-oci", "OciSteps");

  @ArchTest
  static final ArchRule theArgoCdStepsKeepOnePublicClass = onePublicClass("steps-argocd", "ArgoCdSteps");

  @ArchTest
  static final ArchRule theDockerRuntimeKeepsOnePublicClass =
      onePublicClass("runtime-docker", "DockerContainerRuntime");

  /** A backend module's factory may take its own client (fabric8's), so only the class set is fixed here. */
  @ArchTest
  static final ArchRule theKubernetesRuntimeKeepsItsTwoPublicClasses = classes()
      .that(inModule("runtime-k8s")).and().arePublic().and().areTopLevelClasses().and(NOT_INTERNAL)
      .should().haveSimpleName("KubernetesContainerRuntime").orShould().haveSimpleName("KubernetesRuntimeSettings");

  /** Nullness is stated once per package: every package with public API is {@code @NullMarked} (JSpecify). */
  @ArchTest
  static final ArchRule everyPublicPackageIsNullMarked = classes()
      .that(PUBLIC_API).and(NOT_INTERNAL).and(DescribedPredicate.describe("are in a published module",
          c -> !Modules.of(c).isEmpty()))
      .should(ApiConditions.beInANullMarkedPackage());

  private static ArchRule onePublicClass(String module, String entryClass) {
    return classes()
        .that(inModule(module)).and().arePublic().and().areTopLevelClasses().and(NOT_INTERNAL)
        .should().haveSimpleName(entryClass)
        .as("module " + module + " keeps one public class, " + entryClass);
  }

  private static boolean isPublicApi(JavaClass javaClass) {
    for (Optional<JavaClass> c = Optional.of(javaClass); c.isPresent(); c = c.get().getEnclosingClass()) {
      if (!c.get().getModifiers().contains(JavaModifier.PUBLIC)) {
        return false;
      }
    }
    return true;
  }
}
