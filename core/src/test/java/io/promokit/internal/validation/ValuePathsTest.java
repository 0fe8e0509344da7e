package io.promokit.internal.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.internal.ConfigPath;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValuePathsTest {

  @Test
  void pathsInTheProjectsNotationSplitIntoSegments() {
    assertThat(ValuePaths.segments("config.apps[0].name")).containsExactly("config", "apps", "0", "name");
    assertThat(ValuePaths.segments("config['my-key'].x")).containsExactly("config", "my-key", "x");
    assertThat(ValuePaths.segments("config[\"a.b\"]")).containsExactly("config", "a.b");
    assertThat(ValuePaths.segments("config['it\\'s']")).containsExactly("config", "it's");
    assertThat(ValuePaths.segments("config")).containsExactly("config");
  }

  @Test
  void pathsBuiltByConfigPathSplitBackIntoTheirKeys() {
    String path = ConfigPath.index(ConfigPath.key(ConfigPath.key("config", "my key: odd"), "list"), 3);

    assertThat(ValuePaths.segments(path)).containsExactly("config", "my key: odd", "list", "3");
  }

  @Test
  void textThatIsNotAPathHasNoSegments() {
    assertThat(ValuePaths.segments("must be a string")).isNull();
    assertThat(ValuePaths.segments("config['open")).isNull();
  }

  @Test
  void aPathStartsWithItselfAndItsAncestors() {
    List<String> path = List.of("config", "a", "0");

    assertThat(ValuePaths.startsWith(path, List.of("config", "a"))).isTrue();
    assertThat(ValuePaths.startsWith(path, path)).isTrue();
    assertThat(ValuePaths.startsWith(path, List.of("config", "b"))).isFalse();
    assertThat(ValuePaths.startsWith(List.of("config"), path)).isFalse();
  }
}
