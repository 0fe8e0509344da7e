package io.promokit.cli;

import io.promokit.PromotionContext;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns {@code --ctx KEY=VALUE} pairs into a {@link PromotionContext}. */
final class ContextOptions {
  private static final String KEYS =
      "project, stage, promotion, actor, freight, freightAlias, freightOrigin, rollback, uiBaseUrl";

  private ContextOptions() {}

  /** The longest promotion name: a Kubernetes object name's limit, as Kargo's Promotions have. */
  static final int MAX_PROMOTION_NAME = 253;

  private static String promotionName(String value) {
    if (value.isBlank()) {
      throw new BadInputException("--ctx promotion=: the promotion's name must not be empty");
    }
    if (value.length() > MAX_PROMOTION_NAME) {
      throw new BadInputException("--ctx promotion=...: the promotion's name has " + value.length()
          + " characters; at most " + MAX_PROMOTION_NAME + " are allowed (a Kubernetes object name, as Kargo's)");
    }
    return value;
  }

  static PromotionContext parse(Map<String, String> pairs) {
    PromotionContext.Builder b = PromotionContext.builder();
    Map<String, String> values = pairs == null ? Map.of() : new LinkedHashMap<>(pairs);
    values.forEach((key, value) -> {
      switch (key) {
        case "project" -> b.project(value);
        case "stage" -> b.stage(value);
        case "promotion" -> b.promotion(promotionName(value));
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
