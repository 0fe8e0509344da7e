package io.promokit.internal;

import io.promokit.PromotionPlan;
import io.promokit.PromotionTemplate;
import io.promokit.TaskCatalog;

/** Inflates task steps into a {@link PromotionPlan} (SEMANTICS.md sections 2 and 6). Placeholder. */
public final class TaskInflater {
  private TaskInflater() {}

  public static PromotionPlan inflate(PromotionTemplate template, TaskCatalog tasks) {
    throw new UnsupportedOperationException("not yet");
  }
}
