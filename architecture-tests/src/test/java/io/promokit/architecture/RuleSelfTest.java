package io.promokit.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.promokit.architecture.fixture.LeakyApi;
import org.junit.jupiter.api.Test;

/** The rules' own parts catch what they are meant to, so a green rule means something. */
class RuleSelfTest {

  @Test
  void theApiConditionNamesEveryExposedLibraryTypeAndAcceptsJdkTypes() {
    JavaClasses fixture = new ClassFileImporter().importClasses(LeakyApi.class);

    assertThatThrownBy(() -> classes().should(ApiConditions.exposeOnlyJdkAndPublicPromokitTypes("", n -> false))
        .check(fixture))
        .hasMessageContaining("was violated (2 times)")
        .hasMessageContaining(LeakyApi.class.getName() + " take() takes com.tngtech.archunit.core.domain.JavaClasses")
        .hasMessageContaining(LeakyApi.class.getName() + " give() returns com.tngtech.archunit.core.domain.JavaClasses");
  }

  @Test
  void aRuleOverAModuleWithNoClassesFailsInsteadOfPassing() {
    JavaClasses fixture = new ClassFileImporter().importClasses(LeakyApi.class);

    assertThatThrownBy(() -> classes().that(Modules.inModule("steps-nothing")).should().bePublic().check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("failed to check any classes");
  }
}
