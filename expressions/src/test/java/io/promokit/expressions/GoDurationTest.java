package io.promokit.expressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's time.ParseDuration and Duration.String(), case by case (the cases of Go's own format_test.go). */
class GoDurationTest {

  @ParameterizedTest(name = "{0} is {1} ns")
  @CsvSource(delimiter = '|', value = {
      "0|0", "5s|5000000000", "30s|30000000000", "1478s|1478000000000", "-5s|-5000000000", "+5s|5000000000",
      "-0|0", "+0|0", "5.0s|5000000000", "5.6s|5600000000", "5.s|5000000000", ".5s|500000000", "1.0s|1000000000",
      "1.00s|1000000000", "1.004s|1004000000", "1.0040s|1004000000", "100.00100s|100001000000",
      "10ns|10", "11us|11000", "12µs|12000", "12μs|12000", "13ms|13000000", "14s|14000000000",
      "15m|900000000000", "16h|57600000000000", "3h30m|12600000000000", "10.5s4m|250500000000",
      "-2m3.4s|-123400000000", "1h2m3s4ms5us6ns|3723004005006", "39h9m14.425s|140954425000000",
      "52763797000ns|52763797000", "0.3333333333333333333h|1200000000000",
      "9007199254740993ns|9007199254740993", "9223372036854775807ns|9223372036854775807",
      "9223372036854775.807us|9223372036854775807", "9223372036s854ms775us807ns|9223372036854775807",
      "-9223372036854775808ns|-9223372036854775808", "-9223372036854775.808us|-9223372036854775808",
      "0.100000000000000000000h|360000000000", "0.830103483285477580700h|2988372539827",
      "1.5ns|1", "0.3ns|0", "1.9999999999ns|1", "9223372036854775807.9ns|9223372036854775807"})
  void parsesAsGoDoes(String text, long nanos) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"", "-", "s", ".", "-.", ".s", "+.s", " 5m", "\u00b5s", "soon",
      "9223372036854775808ns", "9223372036854775810ns", "9223372036854775.808us", "9223372036854ms775us808ns",
      "-9223372036854775809ns", "9223372036854776us", "3000000h", "9999999999h"})
  void refusesWhatGoRefusesWithAClearMessage(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid duration \"" + text + "\": ");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "soon|expected a Go duration such as 90s, 5m, 1h30m or 500ms|invalid duration \"soon\"",
      "5|expected a Go duration such as 90s, 5m, 1h30m or 500ms|missing unit in duration \"5\"",
      "'5m '|expected a Go duration such as 90s, 5m, 1h30m or 500ms"
          + "|unknown unit \"m \" in duration \"5m \" (use ns, us, ms, s, m or h)",
      "1d|expected a Go duration such as 90s, 5m, 1h30m or 500ms"
          + "|unknown unit \"d\" in duration \"1d\" (use ns, us, ms, s, m or h)",
      "9999999999h|out of range (at most 2562047h47m16.854775807s)"
          + "|invalid duration \"9999999999h\": out of range (at most 2562047h47m16.854775807s)"})
  void saysWhatIsWrongForAConfigFieldAndInGosWords(String text, String why, String goMessage) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOfSatisfying(GoDuration.InvalidDurationException.class,
            e -> assertThat(e.goMessage()).isEqualTo(goMessage))
        .hasMessage("invalid duration \"" + text + "\": " + why);
  }

  @ParameterizedTest(name = "{0} ns is {1}")
  @CsvSource(delimiter = '|', value = {
      "0|0s", "1|1ns", "1100|1.1µs", "1500000|1.5ms", "2200000|2.2ms", "3300000000|3.3s", "61000000000|1m1s",
      "240000000000|4m0s", "4320000000000|1h12m0s", "-4320000000000|-1h12m0s", "86400000000000|24h0m0s",
      "1000|1µs", "1000000|1ms", "90000000000|1m30s", "5400000000000|1h30m0s", "300000000|300ms",
      "9223372036854775807|2562047h47m16.854775807s", "-9223372036854775808|-2562047h47m16.854775808s"})
  void formatsAsGoDoes(long nanos, String text) {
    assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(text);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1h30m0s", "1.5ms", "-2m3.4s", "2562047h47m16.854775807s", "-2562047h47m16.854775808s"})
  void formatAndParseRoundTrip(String text) {
    assertThat(GoDuration.format(GoDuration.parse(text))).isEqualTo(text);
  }
}
