package io.promokit.cli;

import io.promokit.PromotionContext;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns {@code --ctx KEY=VALUE} pairs into a {@link PromotionContext}. */
final class ContextOptions {
  private static final String KEYS =
      "project, stage, promotion, actor, freight, freightAlias, freightOrigin, rollback, uiBaseUrl";

  private ContextOptions() {}

  static PromotionContext parse(Map<String, String> pairs) {
    PromotionContext.Builder b = PromotionContext.builder();
    Map<String, String> values = pairs == null ? Map.of() : new LinkedHashMap<>(pairs);
    values.forEach((key, value) -> {
      switch (key) {
        case "project" -> b.project(value);
        case "stage" -> b.stage(value);
        case "promotion" -> b.promotion(value);
        case "actor" -> b.actor(value);
        case "freight" -> b.freightName(value);
        case "freightAlias" -> b.freightAlias(value);
        case "freightOrigin" -> b.freightOrigin(value);
        case "uiBaseUrl" -> b.uiBaseUrl(value);
        case "rollback" -> {
          if (!value.equals("true") && !value.equals("false")) {
            throw new BadInputException("--ctx rollback=" + value + ": must be true or false");
          }
          b.rollback(Boolean.parseBoolean(value));
        }
        default -> throw new BadInputException("--ctx " + key + "=...: unknown ctx field \"" + key + "\" (known: " + KEYS + ")");
      }
    });
    return b.build();
  }
}
