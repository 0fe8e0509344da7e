package io.promokit.internal.engine;

import io.promokit.PromotionContext;
import io.promokit.documents.PromotionPlan;
import io.promokit.event.PromotionListener;
import io.promokit.expressions.ExpressionResolver;
import java.nio.file.Path;
import java.util.List;

/**
 * One prepared promotion ({@link io.promokit.PromotionSequence}): what is the same for every run of it.
 *
 * @param plan the steps, tasks inflated, var overrides applied
 * @param context the promotion's {@code ctx} (its name set)
 * @param listeners the promotion's own listeners, called after the engine's
 * @param workdir the host's working directory, or null for one the engine creates per run
 * @param keepWorkdir whether an engine-created working directory is kept at the end
 * @param resolver the resolver its expressions run on
 */
public record PromotionSettings(
    PromotionPlan plan,
    PromotionContext context,
    List<PromotionListener> listeners,
    Path workdir,
    boolean keepWorkdir,
    ExpressionResolver resolver) {

  public PromotionSettings {
    listeners = List.copyOf(listeners);
  }
}
