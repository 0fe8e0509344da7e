package io.promokit.steps;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.spi.MetadataKind;
import io.promokit.spi.PromotionMetadataSink;
import java.util.List;
import java.util.Map;

/**
 * {@code set-metadata}: hands each update to the context's {@link PromotionMetadataSink} (the host's, or the
 * record's {@code metadata} section), in order. A sink error is retryable, as Kargo's failed GET or patch is.
 */
final class SetMetadataStep extends BuiltinStep {

  record Update(String kind, String name, Map<String, Object> values) {}

  record Config(List<Update> updates) {}

  SetMetadataStep() {
    super("set-metadata");
  }

  @Override
  StepResult run(StepContext context) throws Exception {
    Config config = context.config(Config.class);
    PromotionMetadataSink sink = context.metadataSink().orElseThrow(() -> StepException.terminal(
        "no metadata sink: this step context offers none to write Stage and Freight metadata to"));
    for (Update update : config.updates()) {
      MetadataKind kind = MetadataKind.fromWord(update.kind()); // the schema's enum lets only these through
      try {
        sink.setMetadata(context.promotion(), kind, update.name(), update.values());
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        throw new StepException("cannot set metadata of " + kind.word() + " \"" + update.name() + "\": "
            + describe(e), e);
      }
      context.log().info("set " + update.values().keySet() + " of " + kind.word() + " \"" + update.name() + "\"");
    }
    return StepResult.succeeded();
  }

  static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
