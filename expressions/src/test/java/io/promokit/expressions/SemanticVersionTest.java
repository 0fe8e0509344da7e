package io.promokit.expressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SemanticVersionTest {

  @Test
  void parsesLenientlyLikeKargo() {
    assertThat(SemanticVersion.parse("v1.2").canonical()).isEqualTo("1.2.0");
    assertThat(SemanticVersion.parse("3").canonical()).isEqualTo("3.0.0");
    SemanticVersion v = SemanticVersion.parse("1.2.3-rc.1+build.7");
    assertThat(v.major()).isEqualTo(1);
    assertThat(v.minor()).isEqualTo(2);
    assertThat(v.patch()).isEqualTo(3);
    assertThat(v.prerelease()).isEqualTo("rc.1");
    assertThat(v.metadata()).isEqualTo("build.7");
  }

  @Test
  void rejectsWhatIsNotAVersion() {
    for (String bad : new String[] {"", "x", "1.2.3.4", "1.2.3-", "1.2.3-01", "V1", "1..2"}) {
      assertThatThrownBy(() -> SemanticVersion.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(SemanticVersion.parseOrNull("x")).isNull();
  }

  @Test
  void incrementsResetLowerPartsAndDropPrereleaseAndMetadata() {
    SemanticVersion v = SemanticVersion.parse("v1.2.3-rc.1+b");
    assertThat(v.incMajor().original()).isEqualTo("v2.0.0");
    assertThat(v.incMinor().canonical()).isEqualTo("1.3.0");
    assertThat(v.incPatch().canonical()).isEqualTo("1.2.3");
    assertThat(SemanticVersion.parse("1.2.3").incPatch().canonical()).isEqualTo("1.2.4");
  }

  @Test
  void comparesBySemverPrecedence() {
    assertThat(SemanticVersion.parse("1.0.0-alpha").lessThan(SemanticVersion.parse("1.0.0-alpha.1"))).isTrue();
    assertThat(SemanticVersion.parse("1.0.0-alpha.1").lessThan(SemanticVersion.parse("1.0.0-beta"))).isTrue();
    assertThat(SemanticVersion.parse("1.0.0-rc.11").greaterThan(SemanticVersion.parse("1.0.0-rc.2"))).isTrue();
    assertThat(SemanticVersion.parse("1.0.0-rc.1").lessThan(SemanticVersion.parse("1.0.0"))).isTrue();
    assertThat(SemanticVersion.parse("1.0.0+a").equalPrecedence(SemanticVersion.parse("1.0.0+b"))).isTrue();
    assertThat(SemanticVersion.parse("2.0.0").compare(SemanticVersion.parse("10.0.0"))).isEqualTo(-1);
  }
}
