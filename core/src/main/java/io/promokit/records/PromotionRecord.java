package io.promokit.records;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.promokit.PromotionException;
import io.promokit.PromotionPhase;
import io.promokit.StepStatus;
import io.promokit.internal.RecordJson;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The full account of a promotion: its phase, every step's status, attempts, timings, config and
 * outputs, with every secret value masked. Its JSON form is the contract of CLI.md and round-trips
 * through {@link #toJson()} and {@link #fromJson(String)}; a record of a waiting promotion ({@code
 * Running}) is what {@code PromotionSequence.resume(record)} continues from, at {@link #nextDueAt()}.
 * Immutable; made with {@link #builder()} (or {@link #toBuilder()} to change a copy).
 */
@JsonPropertyOrder({
  "apiVersion", "kind", "promotion", "phase", "message", "startedAt", "finishedAt", "nextDueAt", "context", "vars",
  "steps", "outputs", "workdir", "engineId", "metadata"
})
@JsonDeserialize(builder = PromotionRecord.Builder.class)
public final class PromotionRecord {

  /** The record's {@code apiVersion}. */
  public static final String API_VERSION = "promokit.io/v1";
  /** The record's {@code kind}. */
  public static final String KIND = "PromotionRecord";

  private final String promotion;
  private final PromotionPhase phase;
  private final String message;
  private final @Nullable Instant startedAt;
  private final @Nullable Instant finishedAt;
  private final Map<String, Object> context;
  private final Map<String, Object> vars;
  private final List<StepRecord> steps;
  private final Map<String, Object> outputs;
  private final @Nullable String workdir;
  private final @Nullable String engineId;
  private final Map<String, Object> metadata;

  private PromotionRecord(Builder b) {
    String apiVersion = b.apiVersion == null ? API_VERSION : b.apiVersion;
    String kind = b.kind == null ? KIND : b.kind;
    if (!API_VERSION.equals(apiVersion) || !KIND.equals(kind)) {
      throw new IllegalArgumentException(
          "not a promotion record: apiVersion " + apiVersion + ", kind " + kind + " (expected " + API_VERSION + ", " + KIND + ")");
    }
    this.promotion = Objects.requireNonNull(b.promotion, "promotion must not be null");
    this.phase = Objects.requireNonNull(b.phase, "phase must not be null");
    this.message = b.message == null ? "" : b.message;
    this.startedAt = b.startedAt;
    this.finishedAt = b.finishedAt;
    this.context = copy(b.context);
    this.vars = copy(b.vars);
    this.steps = b.steps == null ? List.of() : List.copyOf(b.steps);
    this.outputs = copy(b.outputs);
    this.workdir = b.workdir;
    this.engineId = b.engineId;
    this.metadata = copy(b.metadata);
  }

  /** A builder; {@code promotion} and {@code phase} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this record's values, to make a changed copy. */
  public Builder toBuilder() {
    return new Builder().promotion(promotion).phase(phase).message(message).startedAt(startedAt)
        .finishedAt(finishedAt).context(context).vars(vars).steps(steps).outputs(outputs).workdir(workdir)
        .engineId(engineId).metadata(metadata);
  }

  /** Always {@link #API_VERSION}. */
  @JsonProperty("apiVersion")
  public String apiVersion() {
    return API_VERSION;
  }

  /** Always {@link #KIND}. */
  @JsonProperty("kind")
  public String kind() {
    return KIND;
  }

  /** The promotion's name. */
  @JsonProperty("promotion")
  public String promotion() {
    return promotion;
  }

  /** Its phase. */
  @JsonProperty("phase")
  public PromotionPhase phase() {
    return phase;
  }

  /** The message of the first step with the worst status (empty when it succeeded). */
  @JsonProperty("message")
  public String message() {
    return message;
  }

  /** When it first started. */
  @JsonProperty("startedAt")
  public @Nullable Instant startedAt() {
    return startedAt;
  }

  /** When it ended, or null while it is not terminal. */
  @JsonProperty("finishedAt")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public @Nullable Instant finishedAt() {
    return finishedAt;
  }

  /** The {@code ctx} values the host gave. */
  @JsonProperty("context")
  public Map<String, Object> context() {
    return context;
  }

  /** The global vars as evaluated at the start. */
  @JsonProperty("vars")
  public Map<String, Object> vars() {
    return vars;
  }

  /** Every step of the inflated template, in order. */
  @JsonProperty("steps")
  public List<StepRecord> steps() {
    return steps;
  }

  /** Every step's outputs by alias (and task aliases with {@code compose-output} keys). */
  @JsonProperty("outputs")
  public Map<String, Object> outputs() {
    return outputs;
  }

  /** The shared working directory (kept for resume), or null. */
  @JsonProperty("workdir")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public @Nullable String workdir() {
    return workdir;
  }

  /** The id of the engine that ran it (labels its containers), or null. */
  @JsonProperty("engineId")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public @Nullable String engineId() {
    return engineId;
  }

  /**
   * What {@code set-metadata} wrote when the host gave no metadata sink: {@code Stage} and {@code Freight}, each by
   * object name, each a map of metadata keys to values; empty otherwise.
   */
  @JsonProperty("metadata")
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public Map<String, Object> metadata() {
    return metadata;
  }

  /** The record of the step with that alias. */
  public Optional<StepRecord> step(String alias) {
    return steps.stream().filter(s -> s.alias().equals(alias)).findFirst();
  }

  /**
   * When a waiting promotion is due to be resumed: for a {@code Running} record, the earliest time a running step
   * asked to be attempted again (its poll or retry time); empty for a promotion that ended. A scheduler stores the
   * record and calls {@code resume(record)} at this time (calling earlier is harmless: the run returns at once
   * with the same due time).
   */
  @JsonIgnore
  public Optional<Instant> nextDueAt() {
    if (phase != PromotionPhase.RUNNING) {
      return Optional.empty();
    }
    return steps.stream()
        .filter(s -> s.status() == StepStatus.RUNNING && s.nextAttemptAt() != null)
        .map(StepRecord::nextAttemptAt)
        .min(Instant::compareTo);
  }

  /** {@link #nextDueAt()} in the JSON form (written, not read: it follows from the steps). */
  @JsonProperty("nextDueAt")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Nullable Instant nextDueAtForJson() {
    return nextDueAt().orElse(null);
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

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PromotionRecord r && promotion.equals(r.promotion) && phase == r.phase
        && message.equals(r.message) && Objects.equals(startedAt, r.startedAt)
        && Objects.equals(finishedAt, r.finishedAt) && context.equals(r.context) && vars.equals(r.vars)
        && steps.equals(r.steps) && outputs.equals(r.outputs) && Objects.equals(workdir, r.workdir)
        && Objects.equals(engineId, r.engineId) && metadata.equals(r.metadata);
  }

  @Override
  public int hashCode() {
    return Objects.hash(promotion, phase, message, startedAt, finishedAt, context, vars, steps, outputs, workdir,
        engineId, metadata);
  }

  @Override
  public String toString() {
    return "PromotionRecord[promotion=" + promotion + ", phase=" + phase + ", message=" + message + ", startedAt="
        + startedAt + ", finishedAt=" + finishedAt + ", context=" + context + ", vars=" + vars + ", steps=" + steps
        + ", outputs=" + outputs + ", workdir=" + workdir + ", engineId=" + engineId + ", metadata=" + metadata + "]";
  }

  private static Map<String, Object> copy(@Nullable Map<String, Object> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** Builds a {@link PromotionRecord}; also how its JSON is read. Not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  @JsonIgnoreProperties("nextDueAt")
  public static final class Builder {
    private @Nullable String apiVersion;
    private @Nullable String kind;
    private @Nullable String promotion;
    private @Nullable PromotionPhase phase;
    private @Nullable String message = "";
    private @Nullable Instant startedAt;
    private @Nullable Instant finishedAt;
    private @Nullable Map<String, Object> context = Map.of();
    private @Nullable Map<String, Object> vars = Map.of();
    private @Nullable List<StepRecord> steps = List.of();
    private @Nullable Map<String, Object> outputs = Map.of();
    private @Nullable String workdir;
    private @Nullable String engineId;
    private @Nullable Map<String, Object> metadata = Map.of();

    private Builder() {}

    /** Checked by {@link #build()}: must be {@link #API_VERSION} when given (reading JSON). */
    @JsonProperty("apiVersion")
    Builder apiVersion(@Nullable String apiVersion) {
      this.apiVersion = apiVersion;
      return this;
    }

    /** Checked by {@link #build()}: must be {@link #KIND} when given (reading JSON). */
    @JsonProperty("kind")
    Builder kind(@Nullable String kind) {
      this.kind = kind;
      return this;
    }

    /** The promotion's name (required). */
    public Builder promotion(String promotion) {
      this.promotion = promotion;
      return this;
    }

    /** Its phase (required). */
    public Builder phase(PromotionPhase phase) {
      this.phase = phase;
      return this;
    }

    /** The message of the first step with the worst status; null means none. */
    public Builder message(@Nullable String message) {
      this.message = message;
      return this;
    }

    /** When it first started. */
    public Builder startedAt(@Nullable Instant startedAt) {
      this.startedAt = startedAt;
      return this;
    }

    /** When it ended; null while it is not terminal. */
    public Builder finishedAt(@Nullable Instant finishedAt) {
      this.finishedAt = finishedAt;
      return this;
    }

    /** The {@code ctx} values the host gave (copied). */
    public Builder context(@Nullable Map<String, Object> context) {
      this.context = context;
      return this;
    }

    /** The global vars as evaluated at the start (copied). */
    public Builder vars(@Nullable Map<String, Object> vars) {
      this.vars = vars;
      return this;
    }

    /** Every step's record, in order (copied). */
    public Builder steps(@Nullable List<StepRecord> steps) {
      this.steps = steps;
      return this;
    }

    /** Every step's outputs by alias (copied). */
    public Builder outputs(@Nullable Map<String, Object> outputs) {
      this.outputs = outputs;
      return this;
    }

    /** The shared working directory. */
    public Builder workdir(@Nullable String workdir) {
      this.workdir = workdir;
      return this;
    }

    /** The id of the engine that ran it. */
    public Builder engineId(@Nullable String engineId) {
      this.engineId = engineId;
      return this;
    }

    /** What {@code set-metadata} wrote without a metadata sink (copied). */
    public Builder metadata(@Nullable Map<String, Object> metadata) {
      this.metadata = metadata;
      return this;
    }

    /**
     * The record.
     *
     * @throws NullPointerException when promotion or phase is missing
     * @throws IllegalArgumentException when the JSON read named another apiVersion or kind
     */
    public PromotionRecord build() {
      return new PromotionRecord(this);
    }
  }
}
