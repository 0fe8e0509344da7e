package io.promokit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promokit.steps.kit.ConfigBinder;
import io.promokit.steps.kit.InvalidConfigException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JavaTimeJsonTest {

  record Window(Instant from, Duration length, LocalDate day, OffsetDateTime at, ZoneId zone, ZonedDateTime zoned) {}

  @Test
  void bindsEveryJavaTimeTypeFromItsIsoText() {
    Window w = ConfigBinder.bind(Map.of("from", "2026-05-01T10:00:00Z", "length", "PT1M30S", "day", "2026-05-01",
        "at", "2026-05-01T12:00:00+02:00", "zone", "Europe/Paris", "zoned", "2026-05-01T12:00:00+02:00[Europe/Paris]"),
        Window.class);

    assertThat(w.from()).isEqualTo(Instant.parse("2026-05-01T10:00:00Z"));
    assertThat(w.length()).isEqualTo(Duration.ofSeconds(90));
    assertThat(w.day()).isEqualTo(LocalDate.of(2026, 5, 1));
    assertThat(w.at().toInstant()).isEqualTo(w.from());
    assertThat(w.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(w.zoned().getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
  }

  @Test
  void textThatIsNotIsoNamesTheField() {
    assertThatThrownBy(() -> ConfigBinder.bind(Map.of("length", "90s"), Window.class))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("config.length: Cannot deserialize value of type `java.time.Duration` from String \"90s\": "
            + "not an ISO-8601 Duration (Text cannot be parsed to a Duration)");
  }

  @Test
  void aNumberIsNotATime() {
    assertThatThrownBy(() -> ConfigBinder.bind(Map.of("from", 1700000000), Window.class))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("config.from: Cannot deserialize value of type `java.time.Instant` from Integer value");
  }

  @Test
  void writesIsoTextAndReadsItBack() throws Exception {
    var mapper = com.fasterxml.jackson.databind.json.JsonMapper.builder().addModule(JavaTimeJson.module()).build();
    Window w = new Window(Instant.parse("2026-05-01T10:00:00Z"), Duration.ofMillis(1500), LocalDate.of(2026, 5, 1),
        OffsetDateTime.parse("2026-05-01T12:00:00+02:00"), ZoneId.of("UTC"),
        ZonedDateTime.parse("2026-05-01T12:00:00+02:00[Europe/Paris]"));

    String json = mapper.writeValueAsString(w);

    assertThat(json).isEqualTo("{\"from\":\"2026-05-01T10:00:00Z\",\"length\":\"PT1.5S\",\"day\":\"2026-05-01\","
        + "\"at\":\"2026-05-01T12:00:00+02:00\",\"zone\":\"UTC\",\"zoned\":\"2026-05-01T12:00:00+02:00\"}");
    Window back = mapper.readValue(json, Window.class);
    assertThat(back.from()).isEqualTo(w.from());
    assertThat(back.length()).isEqualTo(w.length());
    assertThat(back.zoned().toInstant()).isEqualTo(w.zoned().toInstant());
  }
}
