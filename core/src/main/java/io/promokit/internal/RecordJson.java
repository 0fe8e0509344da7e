package io.promokit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.promokit.PromotionException;
import io.promokit.PromotionPhase;
import io.promokit.StepStatus;
import io.promokit.expressions.SecretMasker;
import io.promokit.records.PromotionRecord;
import io.promokit.records.StepRecord;
import java.util.List;

/** The JSON form of {@link PromotionRecord}: status words, RFC 3339 timestamps, indented output. */
public final class RecordJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(JavaTimeJson.module())
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
    List<StepRecord> steps = r.steps().stream().map(s -> s.toBuilder()
        .config(JsonValues.mapForRecord(s.config(), none))
        .outputs(JsonValues.mapForRecord(s.outputs(), none))
        .previousOutputs(s.previousOutputs() == null ? null : JsonValues.mapForRecord(s.previousOutputs(), none))
        .build()).toList();
    return r.toBuilder()
        .context(JsonValues.mapForRecord(r.context(), none))
        .vars(JsonValues.mapForRecord(r.vars(), none))
        .steps(steps)
        .outputs(JsonValues.mapForRecord(r.outputs(), none))
        .metadata(JsonValues.mapForRecord(r.metadata(), none))
        .build();
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
