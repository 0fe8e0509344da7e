package io.promokit.steps.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.RegisteredStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every git step has a page in {@code docs/steps/} whose fields table is generated from its schema (the same
 * markers and columns as the built-ins' pages); the test fails while a table is out of date, and
 * {@code -Dpromokit.docs.write=true} rewrites the tables. The step index lists every step.
 *
 * <p>The table renderer here is a minimal one for these schemas (nested objects, lists of objects, nullable
 * types): the built-ins' renderer lives in core's tests, out of a step module's reach.
 */
class ReferencePagesTest {

  private static final String BEGIN = "<!-- fields: generated from the config schema by StepReferenceDocsTest -->\n";
  private static final String END = "<!-- end of fields -->\n";
  private static final Path DOCS = Path.of(System.getProperty("user.dir")).resolve("../docs/steps").normalize();

  @Test
  void everyStepHasAPageWithAnUpToDateFieldsTable() throws IOException {
    boolean write = Boolean.getBoolean("promokit.docs.write");
    for (RegisteredStep step : GitSteps.create().steps()) {
      Path page = DOCS.resolve(step.name() + ".md");
      assertThat(page).as("reference page of " + step.name()).exists();
      String text = Files.readString(page);
      int begin = text.indexOf(BEGIN);
      int end = text.indexOf(END);
      assertThat(begin).as(page + " has the generated-fields markers").isGreaterThanOrEqualTo(0);
      assertThat(end).isGreaterThan(begin);
      String table = table(step.options().configSchema().orElseThrow().asMap());
      String current = text.substring(begin + BEGIN.length(), end);
      if (write && !current.equals(table)) {
        Files.writeString(page, text.substring(0, begin + BEGIN.length()) + table + text.substring(end));
        continue;
      }
      assertThat(current).as(page + " fields table (rewrite with -Dpromokit.docs.write=true)").isEqualTo(table);
      assertThat(text).as(page + " starts with the step's description").contains(step.options().description());
    }
  }

  @Test
  void theIndexListsEveryStep() throws IOException {
    String index = Files.readString(DOCS.resolve("README.md"));
    for (RegisteredStep step : GitSteps.create().steps()) {
      assertThat(index).contains("[`" + step.name() + "`](" + step.name() + ".md) | " + step.options().description());
    }
  }

  private record Field(String name, String type, boolean required, Object defaultValue, Object description) {}

  static String table(Map<String, Object> schema) {
    List<Field> fields = new ArrayList<>();
    collect(schema, "", fields);
    StringBuilder sb = new StringBuilder("| Field | Type | Required | Default | Description |\n|---|---|---|---|---|\n");
    for (Field f : fields) {
      sb.append("| `").append(f.name()).append("` | ").append(f.type()).append(" | ").append(f.required() ? "yes" : "no")
          .append(" | ").append(f.defaultValue() == null ? "" : "`" + f.defaultValue() + "`").append(" | ")
          .append(String.valueOf(f.description() == null ? "" : f.description()).replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }

  @SuppressWarnings("unchecked")
  private static void collect(Map<String, Object> object, String prefix, List<Field> out) {
    Map<String, Object> properties = (Map<String, Object>) object.getOrDefault("properties", Map.of());
    List<Object> required = (List<Object>) object.getOrDefault("required", List.of());
    properties.forEach((key, value) -> {
      Map<String, Object> property = (Map<String, Object>) value;
      String name = prefix + key;
      out.add(new Field(name, type(property), required.contains(key), property.get("default"), property.get("description")));
      if ("object".equals(property.get("type"))) {
        collect(property, name + ".", out);
      } else if ("array".equals(property.get("type")) && property.get("items") instanceof Map<?, ?> items
          && "object".equals(items.get("type"))) {
        collect((Map<String, Object>) items, name + "[].", out);
      }
    });
  }

  private static String type(Map<String, Object> property) {
    if (property.get("enum") instanceof List<?> values) {
      return "one of " + String.join(", ", values.stream().map(v -> "`" + v + "`").toList());
    }
    Object type = property.get("type");
    if (type instanceof List<?> types) {
      type = types.stream().map(String::valueOf).filter(t -> !"null".equals(t)).findFirst().orElse("any");
    }
    if ("array".equals(type) && property.get("items") instanceof Map<?, ?> items) {
      return "list of " + items.get("type") + "s";
    }
    return type == null ? "any" : String.valueOf(type);
  }
}
