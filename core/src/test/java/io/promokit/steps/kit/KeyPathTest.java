package io.promokit.steps.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keys split as Kargo's {@code pkg/sjson.SplitKey} splits them (its TestSplitKey cases), and where ours differs. */
class KeyPathTest {

  private static List<String> names(String key) {
    return KeyPath.parse(key).parts().stream().map(KeyPath.Part::name).toList();
  }

  @Test
  void splitsAsKargoSplits() {
    assertThat(names("foo.bar.bat.baz")).containsExactly("foo", "bar", "bat", "baz");
    assertThat(names("foo\\.bar.bat\\.baz")).containsExactly("foo.bar", "bat.baz");
    assertThat(names("foo.bar\\:bat.baz")).containsExactly("foo", "bar:bat", "baz");
    assertThat(names("foo.bar.:2.baz")).containsExactly("foo", "bar", "2", "baz");
    assertThat(names("  spaced.key  ")).containsExactly("spaced", "key");
  }

  @Test
  void aLeadingColonMakesANumberAMapKey() {
    KeyPath key = KeyPath.parse("ports.:80");
    assertThat(key.parts().get(1).mapKey()).isTrue();
    assertThat(key.parts().get(1).index()).isNull();
    assertThat(KeyPath.parse("ports.0").parts().get(1).index()).isZero();
  }

  @Test
  void refusesWhatKargoRefuses() {
    assertThatThrownBy(() -> KeyPath.parse("")).hasMessage("must not be empty");
    assertThatThrownBy(() -> KeyPath.parse(".foo")).hasMessage("has an empty part in \".foo\"");
    assertThatThrownBy(() -> KeyPath.parse("foo.")).hasMessage("has an empty part in \"foo.\"");
    assertThatThrownBy(() -> KeyPath.parse("foo..bar")).hasMessage("has an empty part in \"foo..bar\"");
    assertThatThrownBy(() -> KeyPath.parse("foo\\nbar"))
        .hasMessage("has an unknown escape \\n in \"foo\\nbar\" (use \\. \\: or \\\\)");
    assertThatThrownBy(() -> KeyPath.parse("foo:bar")).hasMessageStartingWith("has an unescaped : inside a name");
  }

  /** [ours] Two differences, both documented on the yaml-update and json-update pages. */
  @Test
  void oursAlsoReadsAnEscapedBackslashAndRefusesATrailingOne() {
    // Kargo refuses \\ ("invalid escape sequence"), so no Kargo key means anything else by it.
    assertThat(names("a\\\\b.c")).containsExactly("a\\b", "c");
    // Kargo silently drops a trailing backslash ("foo\" updates "foo"); a typo should not change another key.
    assertThatThrownBy(() -> KeyPath.parse("foo\\")).hasMessage("ends with a lone \\ in \"foo\\\"");
  }

  @Test
  void findsTheValueItNamesInADocument() {
    Map<String, Object> document = Map.of("spec", Map.of("ports", List.of(80, 443)));
    assertThat(KeyPath.parse("spec.ports.1").valueIn(document)).isEqualTo(443);
    assertThat(KeyPath.parse("spec.ports").valueIn(document)).isEqualTo(List.of(80, 443));
    assertThat(KeyPath.parse("spec.nope").valueIn(document)).isNull();
  }
}
