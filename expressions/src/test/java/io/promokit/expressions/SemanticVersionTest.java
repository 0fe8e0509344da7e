package io.promokit.expressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SemanticVersionTest {

  @Test
  void parsesLenientlyLikeKargo() {
    assertThat(SemanticVersion.parse("v1.2").String()).isEqualTo("1.2.0");
    assertThat(SemanticVersion.parse("3").String()).isEqualTo("3.0.0");
    SemanticVersion v = SemanticVersion.parse("1.2.3-rc.1+build.7");
    assertThat(v.Major()).isEqualTo(1);
    assertThat(v.Minor()).isEqualTo(2);
    assertThat(v.Patch()).isEqualTo(3);
    assertThat(v.Prerelease()).isEqualTo("rc.1");
    assertThat(v.Metadata()).isEqualTo("build.7");
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
    assertThat(v.IncMajor().Original()).isEqualTo("v2.0.0");
    assertThat(v.IncMinor().String()).isEqualTo("1.3.0");
    assertThat(v.IncPatch().String()).isEqualTo("1.2.3");
    assertThat(SemanticVersion.parse("1.2.3").IncPatch().String()).isEqualTo("1.2.4");
  }

  @Test
  void comparesBySemverPrecedence() {
    assertThat(SemanticVersion.parse("1.0.0-alpha").LessThan(SemanticVersion.parse("1.0.0-alpha.1"))).isTrue();
    assertThat(SemanticVersion.parse("1.0.0-alpha.1").LessThan(SemanticVersion.parse("1.0.0-beta"))).isTrue();
    assertThat(SemanticVersion.parse("1.0.0-rc.11").GreaterThan(SemanticVersion.parse("1.0.0-rc.2"))).isTrue();
    assertThat(SemanticVersion.parse("1.0.0-rc.1").LessThan(SemanticVersion.parse("1.0.0"))).isTrue();
    assertThat(SemanticVersion.parse("1.0.0+a").Equal(SemanticVersion.parse("1.0.0+b"))).isTrue();
    assertThat(SemanticVersion.parse("2.0.0").Compare(SemanticVersion.parse("10.0.0"))).isEqualTo(-1);
  }
}
