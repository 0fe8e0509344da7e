package io.promokit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.promokit.RegisteredStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a step module's reference pages in {@code docs/steps/}: each step has a page {@code <name>.md} that starts
 * with its description and carries a fields table generated from its config schema between the markers the
 * built-ins' pages use, and the index ({@code README.md}) links it. With the system property
 * {@code promokit.docs.write=true} the tables are rewritten instead of compared.
 *
 * <pre>{@code
 * @Test
 * void everyStepHasAnUpToDatePage() throws IOException {
 *   StepReferencePages.check(Path.of("../docs/steps"), MySteps.create().steps());
 * }
 * }</pre>
 *
 * <p>The table lists every field, nested ones as {@code apps[].sources[].repoURL} (objects and lists of objects are
 * followed, {@code $ref}s to {@code #/...} resolved), with its type, whether it is required, its default and its
 * description.
 */
public final class StepReferencePages {

  /** The line before a generated table. */
  public static final String BEGIN = "<!-- fields: generated from the config schema by StepReferenceDocsTest -->\n";
  /** The line after it. */
  public static final String END = "<!-- end of fields -->\n";

  private StepReferencePages() {}

  /**
   * Asserts (or, with {@code -Dpromokit.docs.write=true}, rewrites) the pages of these steps.
   *
   * @param docs the {@code docs/steps} folder
   */
  public static void check(Path docs, List<RegisteredStep> steps) throws IOException {
    boolean write = Boolean.getBoolean("promokit.docs.write");
    String index = Files.readString(docs.resolve("README.md"));
    for (RegisteredStep step : steps) {
      Path page = docs.resolve(step.name() + ".md");
      assertThat(page).as("reference page of " + step.name()).exists();
      String text = Files.readString(page);
      assertThat(text).as(page + " starts with the step's title and description")
          .startsWith("# `" + step.name() + "`\n\n" + step.options().description() + "\n");
      int begin = text.indexOf(BEGIN);
      int end = text.indexOf(END);
      assertThat(begin).as(page + " has the generated-fields markers").isGreaterThanOrEqualTo(0);
      assertThat(end).as(page + " has the end marker after the begin marker").isGreaterThan(begin);
      String table = table(step.options().configSchema().orElseThrow().asMap());
      String current = text.substring(begin + BEGIN.length(), end);
      if (write && !current.equals(table)) {
        Files.writeString(page, text.substring(0, begin + BEGIN.length()) + table + text.substring(end));
      } else {
        assertThat(current).as(page + " fields table (rewrite with -Dpromokit.docs.write=true)").isEqualTo(table);
      }
      assertThat(index).as("docs/steps/README.md links " + step.name())
          .contains("[`" + step.name() + "`](" + step.name() + ".md)");
    }
  }

  /** The fields table of a config schema. */
  public static String table(Map<String, Object> schema) {
    StringBuilder sb = new StringBuilder("| Field | Type | Required | Default | Description |\n|---|---|---|---|---|\n");
    List<String[]> rows = new ArrayList<>();
    collect(schema, schema, "", rows);
    for (String[] row : rows) {
      sb.append("| `").append(row[0]).append("` | ").append(row[1]).append(" | ").append(row[2]).append(" | ")
          .append(row[3].isEmpty() ? "" : "`" + row[3] + "`").append(" | ").append(row[4].replace("|", "\\|"))
          .append(" |\n");
    }
    return sb.toString();
  }

  @SuppressWarnings("unchecked")
  private static void collect(Map<String, Object> root, Map<String, Object> object, String prefix, List<String[]> out) {
    Map<String, Object> properties = (Map<String, Object>) object.getOrDefault("properties", Map.of());
    List<Object> required = (List<Object>) object.getOrDefault("required", List.of());
    for (Map.Entry<String, Object> e : properties.entrySet()) {
      Map<String, Object> property = resolve(root, (Map<String, Object>) e.getValue());
      String name = prefix + e.getKey();
      Object defaultValue = property.get("default");
      out.add(new String[] {name, type(root, property), required.contains(e.getKey()) ? "yes" : "no",
          defaultValue == null ? "" : String.valueOf(defaultValue), String.valueOf(property.getOrDefault("description", ""))});
      if ("object".equals(property.get("type")) && property.containsKey("properties")) {
        collect(root, property, name + ".", out);
      } else if ("array".equals(property.get("type")) && property.get("items") instanceof Map<?, ?> items) {
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
    if (property.get("enum") instanceof List<?> values) {
      return "one of " + values.stream().map(v -> "`" + v + "`").collect(Collectors.joining(", "));
    }
    Object type = property.get("type");
    if (type instanceof List<?> types) {
      // "null" in a type list only says the field may be null: the table names the types a value may have.
      List<String> named = types.stream().map(String::valueOf).filter(t -> !"null".equals(t)).toList();
      if (named.size() != 1) {
        return named.isEmpty() ? "any" : String.join(" or ", named);
      }
      type = named.get(0);
    }
    if ("array".equals(type)) {
      Map<String, Object> items = property.get("items") instanceof Map<?, ?> m
          ? resolve(root, (Map<String, Object>) m) : Map.of();
      if (items.get("enum") instanceof List<?> values) {
        return "list of " + values.stream().map(v -> "`" + v + "`").collect(Collectors.joining(", "));
      }
      return "list of " + (items.get("type") == null ? "values" : items.get("type") + "s");
    }
    if ("object".equals(type) && property.get("additionalProperties") instanceof Map<?, ?> values
        && values.get("type") != null) {
      return "map of " + values.get("type") + "s";
    }
    return type == null ? "any" : String.valueOf(type);
  }
}
