package io.promokit.expressions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosestNamesTest {

  @Test
  void distanceIsLevenshtein() {
    assertThat(ClosestNames.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(ClosestNames.distance("", "abc")).isEqualTo(3);
    assertThat(ClosestNames.distance("same", "same")).isZero();
  }

  @Test
  void suggestsTheClosestNamesIgnoringCase() {
    List<String> steps = List.of("yaml-update", "yaml-parse", "json-update", "http");

    assertThat(ClosestNames.of("Yaml-Updat", steps, 3)).containsExactly("yaml-update");
    assertThat(ClosestNames.didYouMean("yaml-pars", steps)).isEqualTo("did you mean \"yaml-parse\"?");
    assertThat(ClosestNames.didYouMean("kustomize", steps)).isEmpty();
  }
}
