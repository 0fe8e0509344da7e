package io.promokit.cli;

import io.promokit.CustomStepDefinition;
import io.promokit.documents.PlannedStep;
import io.promokit.documents.PromotionPlan;
import io.promokit.spi.PullPolicy;
import io.promokit.spi.PullSecretSource;
import io.promokit.spi.RegistryCredential;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The images a promotion's container steps will need, with the credentials their {@code imagePullSecrets}
 * name: what {@code --runtime auto} checks Docker can supply before it commits to Docker.
 */
final class ImageNeeds {

  /** One image, with the steps that use it ({@code alias (definition)}) and the credentials to pull it with. */
  record Need(String image, List<String> steps, List<RegistryCredential> credentials) {
    Need {
      steps = List.copyOf(steps);
      credentials = List.copyOf(credentials);
    }
  }

  private ImageNeeds() {}

  /**
   * The images of the container steps the plan runs, once each, in plan order. Images whose definition
   * says {@code imagePullPolicy: Never} are left out: nothing would pull them anyway.
   */
  static List<Need> of(PromotionPlan plan, List<CustomStepDefinition> definitions, PullSecretSource pullSecrets) {
    Map<String, CustomStepDefinition> byName = new LinkedHashMap<>();
    definitions.forEach(d -> byName.put(d.name(), d));
    Map<String, List<String>> stepsByImage = new LinkedHashMap<>();
    Map<String, Set<RegistryCredential>> credentialsByImage = new LinkedHashMap<>();
    for (PlannedStep step : plan.steps()) {
      CustomStepDefinition definition = byName.get(step.uses());
      if (definition == null || definition.imagePullPolicy() == PullPolicy.NEVER) {
        continue;
      }
      // named as the progress lines name a step: its alias, then the definition it uses
      stepsByImage.computeIfAbsent(definition.image(), image -> new ArrayList<>())
          .add(step.alias() + " (" + step.uses() + ")");
      Set<RegistryCredential> credentials =
          credentialsByImage.computeIfAbsent(definition.image(), image -> new LinkedHashSet<>());
      for (String secret : definition.imagePullSecrets()) {
        credentials.addAll(pullSecrets.credentials(secret)); // a set: steps sharing a secret add it once
      }
    }
    List<Need> needs = new ArrayList<>();
    stepsByImage.forEach((image, steps) ->
        needs.add(new Need(image, steps, new ArrayList<>(credentialsByImage.get(image)))));
    return List.copyOf(needs);
  }
}
