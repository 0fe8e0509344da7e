package io.promokit.steps.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.RegisteredStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each OCI step has a page in {@code docs/steps/} whose fields table is generated from the step's schema, in
 * the format of core's built-in pages. The test fails while a table is out of date; run it with
 * {@code -Dpromokit.docs.write=true} to rewrite the tables.
 */
class ReferencePagesTest {

  static final String BEGIN = "<!-- fields: generated from the config schema by ReferencePagesTest -->\n";
  static final String END = "<!-- end of fields -->\n";
  private static final Path DOCS = Path.of(System.getProperty("user.dir")).resolve("../docs/steps").normalize();

  @Test
  void everyStepHasAPageWithAnUpToDateFieldsTable() throws IOException {
    boolean write = Boolean.getBoolean("promokit.docs.write");
    for (RegisteredStep step : OciSteps.create().steps()) {
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
      assertThat(text).as(page + " starts with the step's description")
          .startsWith("# `" + step.name() + "`\n\n" + step.options().description() + "\n");
    }
  }

  @Test
  void theIndexListsEveryStep() throws IOException {
    String index = Files.readString(DOCS.resolve("README.md"));
    for (RegisteredStep step : OciSteps.create().steps()) {
      assertThat(index).contains("| [`" + step.name() + "`](" + step.name() + ".md) | " + step.options().description()
          + " |");
    }
  }

  // The table format of core's StepReferenceRenderer (a test class of core, which step modules cannot use).

  private record Field(String name, String type, boolean required, String defaultValue, String description) {}

  static String table(Map<String, Object> schema) {
    StringBuilder sb = new StringBuilder("| Field | Type | Required | Default | Description |\n|---|---|---|---|---|\n");
    List<Field> fields = new ArrayList<>();
    collect(schema, schema, "", fields);
    for (Field field : fields) {
      sb.append("| `").append(field.name()).append("` | ").append(field.type()).append(" | ")
          .append(field.required() ? "yes" : "no").append(" | ")
          .append(field.defaultValue().isEmpty() ? "" : "`" + field.defaultValue() + "`").append(" | ")
          .append(field.description().replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }

  @SuppressWarnings("unchecked")
  private static void collect(Map<String, Object> root, Map<String, Object> object, String prefix, List<Field> out) {
    Map<String, Object> properties = (Map<String, Object>) object.getOrDefault("properties", Map.of());
    List<Object> required = (List<Object>) object.getOrDefault("required", List.of());
    for (Map.Entry<String, Object> e : properties.entrySet()) {
      Map<String, Object> property = resolve(root, (Map<String, Object>) e.getValue());
      String name = prefix + e.getKey();
      Object defaultValue = property.get("default");
      out.add(new Field(name, type(root, property), required.contains(e.getKey()),
          defaultValue == null ? "" : String.valueOf(defaultValue),
          String.valueOf(property.getOrDefault("description", ""))));
      if ("array".equals(property.get("type")) && property.get("items") instanceof Map<?, ?> items) {
        Map<String, Object> item = resolve(root, (Map<String, Object>) items);
        if ("object".equals(item.get("type"))) {
          collect(root, item, name + "[].", out);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> resolve(Map<String, Object> root, Map<String, Object> schema) {
    if (!(schema.get("$ref") instanceof String pointer) || !pointer.startsWith("#/")) {
      return schema;
    }
    Object node = root;
    for (String part : pointer.substring(2).split("/")) {
      node = ((Map<String, Object>) node).get(part);
    }
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  private static String type(Map<String, Object> root, Map<String, Object> property) {
    Object type = property.get("type");
    if (type instanceof List<?> types) {
      return types.stream().map(String::valueOf).collect(Collectors.joining(" or "));
    }
    if ("array".equals(type)) {
      Map<String, Object> items = property.get("items") instanceof Map<?, ?> m
          ? resolve(root, (Map<String, Object>) m) : Map.of();
      Object itemType = items.get("type");
      return "list of " + (itemType == null ? "values" : itemType + "s");
    }
    return type == null ? "any" : String.valueOf(type);
  }
}
