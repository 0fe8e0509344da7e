package io.promokit.steps;

import static io.promokit.steps.InvalidConfigAssertions.assertInvalidConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every path field of every built-in step refuses absolute paths, ".." out of the workdir and symlinks out: the
 * step ends {@code Failed} with an "invalid config" message naming the field, and nothing outside is touched.
 */
class PathEscapeTest {

  @TempDir Path temp;
  private Path workdir;
  private Path outside;

  @BeforeEach
  void setUp() throws IOException {
    workdir = Files.createDirectories(temp.resolve("work")).toRealPath();
    outside = Files.createDirectories(temp.resolve("outside")).toRealPath();
    Files.writeString(outside.resolve("secret.yaml"), "secret: s3cret\n");
    Files.writeString(workdir.resolve("in.yaml"), "a: 1\n");
    Files.createSymbolicLink(workdir.resolve("escape"), outside);
  }

  static Stream<Arguments> pathFields() {
    return Stream.of(
        field("file-write", "config.path", p -> Map.of("path", p, "contents", "x", "overwrite", true)),
        field("copy", "config.inPath", p -> Map.of("inPath", p, "outPath", "copied.yaml")),
        field("copy", "config.outPath", p -> Map.of("inPath", "in.yaml", "outPath", p)),
        field("delete", "config.path", p -> Map.of("path", p)),
        field("delete", "config.paths[1]", p -> Map.of("paths", List.of("in.yaml", p))),
        field("yaml-update", "config.path", p -> Map.of("path", p, "updates", List.of(Map.of("key", "a", "value", 2)))),
        field("json-update", "config.path", p -> Map.of("path", p, "updates", List.of(Map.of("key", "a", "value", 2)))),
        field("yaml-parse", "config.path", p -> Map.of("path", p, "outputs", List.of(output()))),
        field("json-parse", "config.path", p -> Map.of("path", p, "outputs", List.of(output()))),
        field("http", "config.bodyFromFile", p -> Map.of("url", "http://127.0.0.1:9/never-called", "method", "POST",
            "bodyFromFile", p)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("pathFields")
  void absolutePathIsRefused(String step, String field, Function<String, Map<String, Object>> config) {
    String path = outside.resolve("secret.yaml").toString();

    assertRefused(step, config.apply(path), field + ": \"" + path + "\" is absolute; paths are relative to the "
        + "working directory");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("pathFields")
  void dotDotOutOfTheWorkdirIsRefused(String step, String field, Function<String, Map<String, Object>> config) {
    assertRefused(step, config.apply("../outside/secret.yaml"),
        field + ": \"../outside/secret.yaml\" climbs out of the working directory");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("pathFields")
  void symlinkOutOfTheWorkdirIsRefused(String step, String field, Function<String, Map<String, Object>> config) {
    assertRefused(step, config.apply("escape/secret.yaml"), field + ": \"escape/secret.yaml\" leads out of the "
        + "working directory through the symlink \"escape\" (to \"" + outside + "\")");
  }

  private void assertRefused(String step, Map<String, Object> config, String message) {
    try {
      assertInvalidConfig(() -> TestStepContext.of(workdir, step, config).run(), message);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(outside.resolve("secret.yaml")).hasContent("secret: s3cret");
    try (Stream<Path> files = Files.list(outside)) {
      assertThat(files).containsExactly(outside.resolve("secret.yaml"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(workdir.resolve("in.yaml")).hasContent("a: 1");
  }

  private static Arguments field(String step, String field, Function<String, Map<String, Object>> config) {
    return Arguments.of(step, field, config);
  }

  private static Map<String, Object> output() {
    return Map.of("name", "a", "fromExpression", "secret");
  }
}
