package io.promokit.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.Serializers;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;

/**
 * {@code java.time} values as their ISO-8601 text in JSON, both ways: {@code Instant} as
 * {@code 2026-05-01T10:00:00Z}, {@code Duration} as {@code PT1M30S}, {@code LocalDate} as {@code 2026-05-01},
 * {@code ZonedDateTime} with its offset (no zone name), {@code ZoneId} as {@code Europe/Paris}.
 *
 * <p>Written here instead of adding jackson-datatype-jsr310: promokit only needs the ISO text forms, and core's
 * runtime classpath stays small (issue 12). Reading takes strings only (no epoch numbers); text that does not
 * parse is reported through Jackson's usual "weird string value" error, which names the field.
 */
public final class JavaTimeJson {

  private JavaTimeJson() {}

  /** A Jackson module that reads and writes every {@code java.time} value type in its ISO form. */
  public static SimpleModule module() {
    return new SimpleModule("promokit-java-time") {
      private static final long serialVersionUID = 1L;

      @Override
      public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addSerializers(new IsoSerializers());
        context.addDeserializers(new IsoDeserializers());
      }
    };
  }

  private static boolean isTimeValue(Class<?> type) {
    return type.getPackageName().equals("java.time")
        && (TemporalAccessor.class.isAssignableFrom(type) || TemporalAmount.class.isAssignableFrom(type)
            || java.time.ZoneId.class.isAssignableFrom(type));
  }

  /** The static factory that reads the ISO text: {@code parse(CharSequence)}, or {@code of(String)} for zones. */
  private static Method parser(Class<?> type) {
    for (Method m : type.getMethods()) {
      boolean factory = Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 1
          && type.isAssignableFrom(m.getReturnType());
      if (factory && m.getName().equals("parse") && m.getParameterTypes()[0] == CharSequence.class) {
        return m;
      }
    }
    try {
      return type.getMethod("of", String.class);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static final class IsoSerializers extends Serializers.Base {
    @Override
    public JsonSerializer<?> findSerializer(SerializationConfig config, JavaType type, BeanDescription beanDesc) {
      return isTimeValue(type.getRawClass()) ? new IsoSerializer() : null;
    }
  }

  private static final class IsoDeserializers extends Deserializers.Base {
    @Override
    public JsonDeserializer<?> findBeanDeserializer(JavaType type, DeserializationConfig config,
        BeanDescription beanDesc) {
      Class<?> raw = type.getRawClass();
      if (!isTimeValue(raw)) {
        return null;
      }
      Method parser = parser(raw);
      return parser == null ? null : new IsoDeserializer(raw, parser);
    }
  }

  private static final class IsoSerializer extends StdScalarSerializer<Object> {
    private static final long serialVersionUID = 1L;

    IsoSerializer() {
      super(Object.class);
    }

    @Override
    public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeString(isoText(value));
    }
  }

  /**
   * toString() drops zero seconds ("12:00+02:00") and appends a zone name to ZonedDateTime: neither is
   * RFC 3339, so times of day always go through the ISO formatters (seconds always written).
   */
  private static String isoText(Object value) {
    if (value instanceof ZonedDateTime || value instanceof OffsetDateTime) {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format((TemporalAccessor) value);
    }
    if (value instanceof LocalDateTime local) {
      return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(local);
    }
    if (value instanceof OffsetTime time) {
      return DateTimeFormatter.ISO_OFFSET_TIME.format(time);
    }
    if (value instanceof LocalTime time) {
      return DateTimeFormatter.ISO_LOCAL_TIME.format(time);
    }
    return value.toString();
  }

  private static final class IsoDeserializer extends StdScalarDeserializer<Object> {
    private static final long serialVersionUID = 1L;
    private final transient Method parser;

    IsoDeserializer(Class<?> type, Method parser) {
      super(type);
      this.parser = parser;
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.hasToken(JsonToken.VALUE_STRING)) {
        return ctxt.handleUnexpectedToken(handledType(), p);
      }
      String text = p.getText().trim();
      try {
        return parser.invoke(null, text);
      } catch (InvocationTargetException e) {
        String reason = e.getCause() instanceof DateTimeException ? e.getCause().getMessage() : String.valueOf(e.getCause());
        return ctxt.handleWeirdStringValue(handledType(), text, "not an ISO-8601 %s (%s)",
            handledType().getSimpleName(), reason);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot call " + parser, e);
      }
    }
  }
}
