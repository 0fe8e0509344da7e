package io.promokit.steps;

import io.promokit.StepContext;
import io.promokit.StepResult;
import io.promokit.spi.FreightAliasService;
import java.util.Optional;

/**
 * {@code set-freight-alias}: asks the host's {@link FreightAliasService} to give the Freight its alias. Every
 * failure is final ({@code Failed}), as in Kargo; without a service the step fails saying so.
 */
final class SetFreightAliasStep extends BuiltinStep {

  record Config(String name, String alias) {}

  SetFreightAliasStep() {
    super("set-freight-alias");
  }

  @Override
  StepResult run(StepContext context) throws Exception {
    Config config = context.config(Config.class);
    Optional<FreightAliasService> service = context.freightAliases();
    if (service.isEmpty()) {
      return StepResult.failed("no freight service: this host keeps no Freight, so the alias of Freight \""
          + config.name() + "\" cannot be set (a host gives one with PromotionEngine.Builder.freightAliases)");
    }
    String previous;
    try {
      previous = service.get().setAlias(context.promotion(), config.name(), config.alias());
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      return StepResult.failed("cannot set the alias of Freight \"" + config.name() + "\" to \"" + config.alias()
          + "\": " + SetMetadataStep.describe(e));
    }
    context.log().info("updated alias of Freight \"" + config.name() + "\" from \"" + (previous == null ? "" : previous)
        + "\" to \"" + config.alias() + "\"");
    return StepResult.succeeded();
  }
}
