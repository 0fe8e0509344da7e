package io.promokit.steps.argocd;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.promokit.steps.kit.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A config's label selector: {@code matchLabels} and {@code matchExpressions}, all of which must hold.
 *
 * @param matchLabels labels with the values they must have
 * @param matchExpressions requirements: {@code In}/{@code NotIn} with values, {@code Exists}/{@code DoesNotExist}
 *     without
 */
record AppSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

  /** One requirement of {@code matchExpressions}. */
  record Requirement(String key, String operator, List<String> values) {}

  /**
   * The selector for the API.
   *
   * @param field the config path of the selector, for messages ({@code config.apps[0].selector})
   * @throws InvalidConfigException when a requirement's values do not fit its operator, as Kubernetes' rule says
   */
  LabelSelector toLabelSelector(String field) {
    List<LabelSelectorRequirement> requirements = new ArrayList<>();
    List<Requirement> expressions = matchExpressions == null ? List.of() : matchExpressions;
    for (int i = 0; i < expressions.size(); i++) {
      Requirement r = expressions.get(i);
      List<String> values = r.values() == null ? List.of() : r.values();
      boolean needsValues = r.operator().equals("In") || r.operator().equals("NotIn");
      String where = field + ".matchExpressions[" + i + "].values";
      if (needsValues && values.isEmpty()) {
        throw new InvalidConfigException(where + ": the operator " + r.operator() + " needs at least one value");
      }
      if (!needsValues && !values.isEmpty()) {
        throw new InvalidConfigException(where + ": the operator " + r.operator() + " takes no values, but got "
            + values);
      }
      requirements.add(new LabelSelectorRequirement(r.key(), r.operator(), values));
    }
    return new LabelSelectorBuilder()
        .withMatchLabels(matchLabels == null ? Map.of() : matchLabels)
        .withMatchExpressions(requirements)
        .build();
  }
}
