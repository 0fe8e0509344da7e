package io.promokit.steps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders the fields table of a built-in step's reference page from its config schema. */
final class StepReferenceRenderer {

  /** One row: a field (nested ones as {@code updates[].key}), its type, whether required, default, description. */
  record Field(String name, String type, boolean required, String defaultValue, String description) {}

  private StepReferenceRenderer() {}

  static String table(Map<String, Object> schema) {
    List<Field> fields = fields(schema);
    if (fields.isEmpty()) {
      return "Any map with at least one key: every key becomes an output.\n";
    }
    StringBuilder sb = new StringBuilder("| Field | Type | Required | Default | Description |\n");
    sb.append("|---|---|---|---|---|\n");
    for (Field field : fields) {
      sb.append("| `").append(field.name()).append("` | ").append(field.type()).append(" | ")
          .append(field.required() ? "yes" : "no").append(" | ")
          .append(field.defaultValue().isEmpty() ? "" : "`" + field.defaultValue() + "`").append(" | ")
          .append(field.description().replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }

  static List<Field> fields(Map<String, Object> schema) {
    List<Field> fields = new ArrayList<>();
    collect(schema, schema, "", fields);
    return fields;
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
    Object ref = schema.get("$ref");
    if (!(ref instanceof String pointer) || !pointer.startsWith("#/")) {
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
    if (property.get("oneOf") instanceof List<?> options) {
      return options.stream().map(o -> type(root, resolve(root, (Map<String, Object>) o)))
          .collect(Collectors.joining(" or "));
    }
    Object type = property.get("type");
    if (type instanceof List<?> types) {
      // "type": ["string", "array"]: each type with the same property's other keywords (items, ...).
      return types.stream().map(t -> {
        Map<String, Object> single = new java.util.LinkedHashMap<>(property);
        single.put("type", t);
        return type(root, single);
      }).collect(Collectors.joining(" or "));
    }
    if ("array".equals(type)) {
      Map<String, Object> items = property.get("items") instanceof Map<?, ?> m
          ? resolve(root, (Map<String, Object>) m) : Map.of();
      Object itemType = items.get("type");
      return "list of " + (itemType == null ? "values" : itemType + (itemType.equals("object") ? "s" : "s"));
    }
    return type == null ? "any" : String.valueOf(type);
  }
}
