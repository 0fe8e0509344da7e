package io.promokit.expressions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Expected values read from YAML case tables, and an equality that also compares classes. */
final class TypedValues {
  private TypedValues() {}

  /** YAML numbers as the resolver's types: Integer becomes Long. */
  static Object fromYaml(Object v) {
    if (v instanceof Integer) {
      return ((Integer) v).longValue();
    }
    if (v instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<?, ?>) v).forEach((k, x) -> out.put(String.valueOf(k), fromYaml(x)));
      return out;
    }
    if (v instanceof List) {
      return ((List<?>) v).stream().map(TypedValues::fromYaml).collect(Collectors.toList());
    }
    return v;
  }

  /** Equal values of exactly the same classes (Long is not Double is not BigInteger, List is not array). */
  static void assertTyped(Object actual, Object expected, String where) {
    if (expected == null) {
      assertThat(actual).as(where).isNull();
      return;
    }
    assertThat(actual).as(where).isNotNull();
    if (expected instanceof Map) {
      assertThat(actual).as(where).isInstanceOf(Map.class);
      Map<?, ?> a = (Map<?, ?>) actual;
      Map<?, ?> e = (Map<?, ?>) expected;
      assertThat(new ArrayList<Object>(a.keySet())).as(where + " keys").containsExactlyInAnyOrderElementsOf(new ArrayList<Object>(e.keySet()));
      e.forEach((k, v) -> assertTyped(a.get(k), v, where + "." + k));
      return;
    }
    if (expected instanceof List) {
      assertThat(actual).as(where).isInstanceOf(List.class);
      List<?> a = (List<?>) actual;
      List<?> e = (List<?>) expected;
      assertThat(a).as(where).hasSameSizeAs(e);
      for (int i = 0; i < e.size(); i++) {
        assertTyped(a.get(i), e.get(i), where + "[" + i + "]");
      }
      return;
    }
    assertThat(actual.getClass()).as(where + " type of " + actual).isEqualTo(expected.getClass());
    assertThat(actual).as(where).isEqualTo(expected);
  }
}
