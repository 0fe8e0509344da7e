package io.promokit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What expressions see as {@code ctx}: project, stage, promotion, target freight, the actor and the UI
 * address. The host supplies the values; unknown values are empty strings. Immutable.
 */
public final class PromotionContext {

  private final String project;
  private final String stage;
  private final String promotion;
  private final String freightName;
  private final String freightAlias;
  private final String freightOrigin;
  private final String actor;
  private final boolean rollback;
  private final String uiBaseUrl;

  private PromotionContext(Builder b) {
    this.project = b.project;
    this.stage = b.stage;
    this.promotion = b.promotion;
    this.freightName = b.freightName;
    this.freightAlias = b.freightAlias;
    this.freightOrigin = b.freightOrigin;
    this.actor = b.actor;
    this.rollback = b.rollback;
    this.uiBaseUrl = b.uiBaseUrl;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().project(project).stage(stage).promotion(promotion).freightName(freightName)
        .freightAlias(freightAlias).freightOrigin(freightOrigin).actor(actor).rollback(rollback)
        .uiBaseUrl(uiBaseUrl);
  }

  public String project() {
    return project;
  }

  public String stage() {
    return stage;
  }

  /** The promotion's name; also names its record, workdir and containers. */
  public String promotion() {
    return promotion;
  }

  public String freightName() {
    return freightName;
  }

  public String freightAlias() {
    return freightAlias;
  }

  public String freightOrigin() {
    return freightOrigin;
  }

  public String actor() {
    return actor;
  }

  public boolean rollback() {
    return rollback;
  }

  public String uiBaseUrl() {
    return uiBaseUrl;
  }

  /**
   * The {@code ctx} map as expressions see it, with {@code meta.step.alias} set to the given alias:
   * {@code project, stage, promotion, targetFreight {name, alias, origin {name}},
   * meta {promotion {actor, rollback}, step {alias}}, uiBaseUrl}.
   */
  public Map<String, Object> toExpressionMap(String stepAlias) {
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("project", project);
    ctx.put("stage", stage);
    ctx.put("promotion", promotion);
    ctx.put("targetFreight", Map.of("name", freightName, "alias", freightAlias, "origin", Map.of("name", freightOrigin)));
    ctx.put("meta", Map.of(
        "promotion", Map.of("actor", actor, "rollback", rollback),
        "step", Map.of("alias", stepAlias == null ? "" : stepAlias)));
    ctx.put("uiBaseUrl", uiBaseUrl);
    return ctx;
  }

  /** The record's {@code context} block: project, stage, promotion, actor, freight. */
  public Map<String, Object> toRecordMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("project", project);
    m.put("stage", stage);
    m.put("promotion", promotion);
    m.put("actor", actor);
    m.put("freight", freightName);
    if (!freightAlias.isEmpty()) {
      m.put("freightAlias", freightAlias);
    }
    if (!freightOrigin.isEmpty()) {
      m.put("freightOrigin", freightOrigin);
    }
    if (rollback) {
      m.put("rollback", true);
    }
    if (!uiBaseUrl.isEmpty()) {
      m.put("uiBaseUrl", uiBaseUrl);
    }
    return m;
  }

  /** Builds {@link PromotionContext}s; every value defaults to the empty string. */
  public static final class Builder {
    private String project = "";
    private String stage = "";
    private String promotion = "";
    private String freightName = "";
    private String freightAlias = "";
    private String freightOrigin = "";
    private String actor = "";
    private boolean rollback;
    private String uiBaseUrl = "";

    private Builder() {}

    public Builder project(String v) {
      project = orEmpty(v);
      return this;
    }

    public Builder stage(String v) {
      stage = orEmpty(v);
      return this;
    }

    public Builder promotion(String v) {
      promotion = orEmpty(v);
      return this;
    }

    public Builder freightName(String v) {
      freightName = orEmpty(v);
      return this;
    }

    public Builder freightAlias(String v) {
      freightAlias = orEmpty(v);
      return this;
    }

    public Builder freightOrigin(String v) {
      freightOrigin = orEmpty(v);
      return this;
    }

    public Builder actor(String v) {
      actor = orEmpty(v);
      return this;
    }

    public Builder rollback(boolean v) {
      rollback = v;
      return this;
    }

    public Builder uiBaseUrl(String v) {
      uiBaseUrl = orEmpty(v);
      return this;
    }

    public PromotionContext build() {
      return new PromotionContext(this);
    }

    private static String orEmpty(String v) {
      return Objects.requireNonNullElse(v, "");
    }
  }
}
