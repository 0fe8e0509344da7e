package io.promokit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.promokit.internal.RecordJson;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The full account of a promotion: its phase, every step's status, attempts, timings, config and
 * outputs, with every secret value masked. Its JSON form is the contract of CLI.md and round-trips
 * through {@link #toJson()} and {@link #fromJson(String)}; a record of a waiting promotion ({@code
 * Running}) is what {@code PromotionSequence.resume(record)} continues from.
 *
 * @param apiVersion always {@link #API_VERSION}
 * @param kind always {@link #KIND}
 * @param promotion the promotion's name
 * @param phase its phase
 * @param message the message of the first step with the worst status (empty when it succeeded)
 * @param startedAt when it first started
 * @param finishedAt when it ended, or null while it is not terminal
 * @param context the {@code ctx} values the host gave
 * @param vars the global vars as evaluated at the start
 * @param steps every step of the inflated template, in order
 * @param outputs every step's outputs by alias (and task aliases with {@code compose-output} keys)
 * @param workdir the shared working directory (kept for resume), or null
 * @param engineId the id of the engine that ran it (labels its containers)
 * @param metadata what {@code set-metadata} wrote when the host gave no metadata sink: {@code Stage} and
 *     {@code Freight}, each by object name, each a map of metadata keys to values; empty otherwise
 */
@JsonPropertyOrder({
  "apiVersion", "kind", "promotion", "phase", "message", "startedAt", "finishedAt", "context", "vars",
  "steps", "outputs", "workdir", "engineId", "metadata"
})
public record PromotionRecord(
    @JsonProperty("apiVersion") String apiVersion,
    @JsonProperty("kind") String kind,
    @JsonProperty("promotion") String promotion,
    @JsonProperty("phase") PromotionPhase phase,
    @JsonProperty("message") String message,
    @JsonProperty("startedAt") Instant startedAt,
    @JsonProperty("finishedAt") @JsonInclude(JsonInclude.Include.NON_NULL) Instant finishedAt,
    @JsonProperty("context") Map<String, Object> context,
    @JsonProperty("vars") Map<String, Object> vars,
    @JsonProperty("steps") List<StepRecord> steps,
    @JsonProperty("outputs") Map<String, Object> outputs,
    @JsonProperty("workdir") @JsonInclude(JsonInclude.Include.NON_NULL) String workdir,
    @JsonProperty("engineId") @JsonInclude(JsonInclude.Include.NON_NULL) String engineId,
    @JsonProperty("metadata") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> metadata) {

  public static final String API_VERSION = "promokit.io/v1";
  public static final String KIND = "PromotionRecord";

  public PromotionRecord {
    apiVersion = apiVersion == null ? API_VERSION : apiVersion;
    kind = kind == null ? KIND : kind;
    if (!API_VERSION.equals(apiVersion) || !KIND.equals(kind)) {
      throw new IllegalArgumentException(
          "not a promotion record: apiVersion " + apiVersion + ", kind " + kind + " (expected " + API_VERSION + ", " + KIND + ")");
    }
    Objects.requireNonNull(promotion, "promotion must not be null");
    Objects.requireNonNull(phase, "phase must not be null");
    message = message == null ? "" : message;
    context = context == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(context));
    vars = vars == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    steps = steps == null ? List.of() : List.copyOf(steps);
    outputs = outputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** A record without a {@code metadata} section. */
  public PromotionRecord(String apiVersion, String kind, String promotion, PromotionPhase phase, String message,
      Instant startedAt, Instant finishedAt, Map<String, Object> context, Map<String, Object> vars,
      List<StepRecord> steps, Map<String, Object> outputs, String workdir, String engineId) {
    this(apiVersion, kind, promotion, phase, message, startedAt, finishedAt, context, vars, steps, outputs, workdir,
        engineId, Map.of());
  }

  /** The record of the step with that alias. */
  public Optional<StepRecord> step(String alias) {
    return steps.stream().filter(s -> s.alias().equals(alias)).findFirst();
  }

  /** The record's JSON (CLI.md), indented. */
  public String toJson() {
    return RecordJson.write(this);
  }

  /**
   * Reads a record from its JSON.
   *
   * @throws PromotionException when the text is not a promotion record, saying what is wrong
   */
  public static PromotionRecord fromJson(String json) {
    return RecordJson.read(json);
  }

  /** Whether the promotion has ended. */
  @JsonIgnore
  public boolean isTerminal() {
    return phase.isTerminal();
  }
}
