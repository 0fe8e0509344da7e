package io.promokit.steps.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two pure rules under argocd-update: the merge patch it sends and Kargo's authorisation annotation. */
class MergePatchAndAuthorizationTest {

  @Test
  void aMergePatchHoldsOnlyWhatChangedRemovedKeysAsNullAndListsWhole() {
    Map<String, Object> before = Map.of("a", 1, "keep", "x", "gone", "y",
        "nested", Map.of("list", List.of(1, 2), "same", true, "old", "z"));
    Map<String, Object> after = Map.of("a", 2, "keep", "x", "new", Map.of("b", 1),
        "nested", Map.of("list", List.of(1, 2, 3), "same", true));

    Map<String, Object> patch = MergePatch.diff(before, after);

    Map<String, Object> nested = new HashMap<>();
    nested.put("list", List.of(1, 2, 3));
    nested.put("old", null);
    Map<String, Object> expected = new HashMap<>();
    expected.put("a", 2);
    expected.put("gone", null);
    expected.put("new", Map.of("b", 1));
    expected.put("nested", nested);
    assertThat(patch).isEqualTo(expected);
    assertThat(MergePatch.diff(before, before)).isEmpty();
  }

  private static Application annotated(String value) {
    Map<String, Object> metadata = new HashMap<>(Map.of("name", "shop", "namespace", "argocd"));
    if (value != null) {
      metadata.put("annotations", Map.of(Application.AUTHORIZED_STAGE, value));
    }
    return new Application(Map.of("metadata", metadata));
  }

  @Test
  void theAnnotationListsStagesFirstLastOrAloneWithWhitespaceIgnored() {
    assertThat(Authorization.refusal(annotated("shop:prod"), "shop", "prod")).isEmpty();
    assertThat(Authorization.refusal(annotated("shop:prod,shop:dev"), "shop", "prod")).isEmpty();
    assertThat(Authorization.refusal(annotated("shop:dev, shop:prod"), "shop", "prod")).isEmpty();
    assertThat(Authorization.refusal(annotated(" shop : prod ,"), "shop", "prod")).isEmpty();
  }

  @Test
  void refusalsSayWhy() {
    assertThat(Authorization.refusal(annotated(null), "shop", "prod")).contains("it has no annotation "
        + "kargo.akuity.io/authorized-stage; add kargo.akuity.io/authorized-stage: \"shop:prod\" to it");
    assertThat(Authorization.refusal(annotated("shop:dev"), "shop", "prod")).contains("its annotation "
        + "kargo.akuity.io/authorized-stage is \"shop:dev\", which does not list \"shop:prod\"");
    assertThat(Authorization.refusal(annotated("shop"), "shop", "prod")).contains("its annotation "
        + "kargo.akuity.io/authorized-stage (\"shop\") is invalid: entry \"shop\" is not of the form <project>:<stage>");
    assertThat(Authorization.refusal(annotated(" , "), "shop", "prod")).contains("its annotation "
        + "kargo.akuity.io/authorized-stage (\" , \") is invalid: it lists no Stage");
    assertThat(Authorization.refusal(annotated("*:prod"), "shop", "prod")).contains("its annotation "
        + "kargo.akuity.io/authorized-stage (\"*:prod\") is invalid: entry \"*:prod\" is a glob, which Kargo no longer "
        + "supports");
    assertThat(Authorization.refusal(annotated("other:prod"), "shop", "prod")).isPresent();
  }
}
