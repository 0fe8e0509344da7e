package io.promokit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.promokit.PromotionException;
import io.promokit.PromotionPhase;
import io.promokit.PromotionRecord;
import io.promokit.StepRecord;
import io.promokit.StepStatus;
import io.promokit.expressions.SecretMasker;
import java.util.List;

/** The JSON form of {@link PromotionRecord}: status words, RFC 3339 timestamps, indented output. */
public final class RecordJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .addModule(new SimpleModule()
          .addSerializer(StepStatus.class, new com.fasterxml.jackson.databind.ser.std.ToStringSerializer(StepStatus.class))
          .addDeserializer(StepStatus.class, new WordDeserializer<>(StepStatus.class, StepStatus::fromWord))
          .addSerializer(PromotionPhase.class, new com.fasterxml.jackson.databind.ser.std.ToStringSerializer(PromotionPhase.class))
          .addDeserializer(PromotionPhase.class, new WordDeserializer<>(PromotionPhase.class, PromotionPhase::fromWord)))
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private RecordJson() {}

  public static String write(PromotionRecord record) {
    try {
      return MAPPER.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new PromotionException("cannot write the promotion record as JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static PromotionRecord read(String json) {
    try {
      return normalized(MAPPER.readValue(json, PromotionRecord.class));
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new PromotionException("not a valid promotion record" + where + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Numbers as the engine keeps them (Long, BigInteger, Double), so a record equals its round trip. */
  private static PromotionRecord normalized(PromotionRecord r) {
    SecretMasker none = new SecretMasker();
    List<StepRecord> steps = r.steps().stream().map(s -> new StepRecord(s.alias(), s.uses(), s.task(), s.status(),
        s.attempts(), s.message(), s.startedAt(), s.finishedAt(), s.durationMs(),
        JsonValues.mapForRecord(s.config(), none), JsonValues.mapForRecord(s.outputs(), none), s.container(),
        s.continueOnError(), s.consecutiveErrors(), s.nextAttemptAt(),
        s.previousOutputs() == null ? null : JsonValues.mapForRecord(s.previousOutputs(), none))).toList();
    return new PromotionRecord(r.apiVersion(), r.kind(), r.promotion(), r.phase(), r.message(), r.startedAt(),
        r.finishedAt(), JsonValues.mapForRecord(r.context(), none), JsonValues.mapForRecord(r.vars(), none), steps,
        JsonValues.mapForRecord(r.outputs(), none), r.workdir(), r.engineId(),
        JsonValues.mapForRecord(r.metadata(), none));
  }

  private static final class WordDeserializer<T> extends com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer<T> {
    private static final long serialVersionUID = 1L;
    private final transient java.util.function.Function<String, T> parse;

    WordDeserializer(Class<T> type, java.util.function.Function<String, T> parse) {
      super(type);
      this.parse = parse;
    }

    @Override
    public T deserialize(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.databind.DeserializationContext ctxt)
        throws java.io.IOException {
      String text = p.getValueAsString();
      try {
        return parse.apply(text);
      } catch (IllegalArgumentException e) {
        return (T) ctxt.handleWeirdStringValue(handledType(), text, e.getMessage());
      }
    }
  }
}
