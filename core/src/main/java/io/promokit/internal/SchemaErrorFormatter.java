package io.promokit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns networknt validation errors into the project's messages: one per problem, starting with the config
 * path ({@code config.updates[0].key: is required}), in plain words. Alternatives ({@code anyOf}/{@code oneOf})
 * are folded into one message per place.
 */
final class SchemaErrorFormatter {


  private final JsonNode rootSchema;

  SchemaErrorFormatter(JsonNode rootSchema) {
    this.rootSchema = rootSchema;
  }

  List<String> format(List<Error> errors, String rootPath) {
    // Each slot is a message or a group of alternatives, in the order the first error of each came.
    List<Object> slots = new ArrayList<>();
    Map<String, Alternatives> groups = new LinkedHashMap<>();
    for (Error error : errors) {
      int combinator = combinatorIndex(error.getEvaluationPath());
      if (combinator < 0) {
        slots.add(formatOne(error, rootPath));
        continue;
      }
      Alternatives group = groups.computeIfAbsent(prefix(error.getEvaluationPath(), combinator + 1), key -> {
        Alternatives created = new Alternatives();
        slots.add(created);
        return created;
      });
      group.add(error, combinator);
    }
    Set<String> messages = new LinkedHashSet<>();
    for (Object slot : slots) {
      messages.add(slot instanceof Alternatives group ? group.format(rootPath) : (String) slot);
    }
    return List.copyOf(messages);
  }

  private String formatOne(Error error, String rootPath) {
    String path = instancePath(error.getInstanceLocation(), rootPath);
    String keyword = error.getKeyword() == null ? "" : error.getKeyword();
    JsonNode value = error.getInstanceNode();
    JsonNode rule = error.getSchemaNode();
    switch (keyword) {
      case "required":
        return SchemaMessages.required(path, error.getProperty());
      case "additionalProperties":
      case "unevaluatedProperties":
        return SchemaMessages.unknownField(path, error.getProperty(), propertyNames(error));
      case "dependentRequired": {
        Object[] args = error.getArguments();
        String missing = args != null && args.length > 0 ? String.valueOf(args[0]) : error.getProperty();
        String present = args != null && args.length > 1 ? String.valueOf(args[1]) : "";
        return ConfigPath.key(path, missing) + ": is required when " + ConfigPath.key(path, present) + " is set";
      }
      case "type":
        return SchemaMessages.type(path, expectedTypes(rule), describeType(value));
      case "enum":
        return rule != null && rule.isArray() ? SchemaMessages.oneOf(path, shownEach(rule), show(value))
            : path + ": must be one of " + rule + ", but was " + show(value);
      case "const":
        return SchemaMessages.constant(path, show(rule), show(value));
      case "minLength":
        return SchemaMessages.minLength(path, rule, rule == null ? 0 : rule.asInt(), show(value));
      case "maxLength":
        return SchemaMessages.maxLength(path, rule);
      case "minimum":
        return SchemaMessages.bound(path, "at least", rule, show(value));
      case "maximum":
        return SchemaMessages.bound(path, "at most", rule, show(value));
      case "exclusiveMinimum":
        return path + ": must be greater than " + rule + ", but was " + show(value);
      case "exclusiveMaximum":
        return path + ": must be less than " + rule + ", but was " + show(value);
      case "multipleOf":
        return path + ": must be a multiple of " + rule + ", but was " + show(value);
      case "minItems":
        return SchemaMessages.size(path, "at least", rule.asInt(), "item", size(value));
      case "maxItems":
        return SchemaMessages.size(path, "at most", rule.asInt(), "item", size(value));
      case "minProperties":
        return SchemaMessages.size(path, "at least", rule.asInt(), "field", size(value));
      case "maxProperties":
        return SchemaMessages.size(path, "at most", rule.asInt(), "field", size(value));
      case "uniqueItems":
        return path + ": must not hold the same item twice";
      case "pattern":
        return SchemaMessages.pattern(path, rule.asText(), show(value));
      case "format":
        return path + ": must be a valid " + (rule != null && rule.isTextual() ? rule.asText() : "value")
            + ", but was " + show(value);
      case "false":
        return SchemaMessages.notAllowed(path);
      default:
        return path + ": " + error.getMessage();
    }
  }

  /** The names of the {@code properties} next to the failing rule, or null when there are none. */
  private List<String> propertyNames(Error error) {
    JsonNode parent = schemaParent(error);
    if (parent == null || !parent.has("properties") || !parent.get("properties").isObject()) {
      return null;
    }
    List<String> names = new ArrayList<>();
    parent.get("properties").fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The schema object that holds the failing keyword, found from the error's schema location. */
  private JsonNode schemaParent(Error error) {
    if (error.getSchemaLocation() == null || error.getSchemaLocation().getAbsoluteIri() != null) {
      return null;
    }
    NodePath fragment = error.getSchemaLocation().getFragment();
    JsonNode node = rootSchema;
    for (int i = 0; i < fragment.getNameCount() - 1 && node != null; i++) {
      Object element = fragment.getElement(i);
      node = element instanceof Integer index ? node.get(index) : node.get(String.valueOf(element));
    }
    return node;
  }

  private static String instancePath(NodePath location, String rootPath) {
    String path = rootPath;
    if (location == null) {
      return path;
    }
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      path = element instanceof Integer index ? ConfigPath.index(path, index) : ConfigPath.key(path, String.valueOf(element));
    }
    return path;
  }

  private static int combinatorIndex(NodePath evaluationPath) {
    if (evaluationPath == null) {
      return -1;
    }
    for (int i = 0; i < evaluationPath.getNameCount(); i++) {
      Object element = evaluationPath.getElement(i);
      if ("anyOf".equals(element) || "oneOf".equals(element)) {
        return i;
      }
    }
    return -1;
  }

  private static String prefix(NodePath path, int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append('/').append(path.getElement(i));
    }
    return sb.toString();
  }

  private static String expectedTypes(JsonNode rule) {
    if (rule == null) {
      return "of another type";
    }
    List<String> names = new ArrayList<>();
    if (rule.isArray()) {
      rule.forEach(t -> names.add(t.asText()));
    } else {
      names.add(rule.asText());
    }
    return SchemaMessages.expectedTypes(names);
  }

  static String describeType(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "null";
    }
    if (value.isObject()) {
      return "an object";
    }
    if (value.isArray()) {
      return "a list";
    }
    if (value.isTextual()) {
      return "a string";
    }
    if (value.isBoolean()) {
      return "a boolean";
    }
    if (value.isIntegralNumber()) {
      return "an integer";
    }
    if (value.isNumber()) {
      return "a number";
    }
    return "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static List<String> shownEach(JsonNode values) {
    List<String> shown = new ArrayList<>();
    values.forEach(v -> shown.add(show(v)));
    return shown;
  }

  static String show(JsonNode value) {
    return value == null || value.isMissingNode() ? "nothing" : SchemaMessages.truncate(value.toString());
  }

  private static String size(JsonNode value) {
    return value == null ? "0" : String.valueOf(value.size());
  }

  /** The errors under one {@code anyOf}/{@code oneOf}, by alternative. */
  private final class Alternatives {
    Error combinatorError;
    final Map<Integer, List<Error>> byAlternative = new LinkedHashMap<>();

    void add(Error error, int combinator) {
      NodePath path = error.getEvaluationPath();
      if (path.getNameCount() == combinator + 1) {
        combinatorError = error;
        return;
      }
      Object alternative = path.getElement(combinator + 1);
      int index = alternative instanceof Integer i ? i : -1;
      byAlternative.computeIfAbsent(index, k -> new ArrayList<>()).add(error);
    }

    String format(String rootPath) {
      String path = instancePath(location(), rootPath);
      if (byAlternative.isEmpty() && combinatorError != null) {
        Object[] args = combinatorError.getArguments();
        String matched = args != null && args.length > 0 ? String.valueOf(args[0]) : "several";
        return path + ": must match exactly one of the allowed forms, but matched " + matched;
      }
      if (allSingleTypeErrorsAtOnePlace()) {
        List<String> expected = byAlternative.values().stream()
            .map(errors -> expectedTypes(errors.get(0).getSchemaNode()))
            .distinct()
            .toList();
        return path + ": must be " + String.join(" or ", expected) + ", but was "
            + describeType(byAlternative.values().iterator().next().get(0).getInstanceNode());
      }
      String alternatives = byAlternative.values().stream()
          .map(errors -> errors.stream().map(e -> formatOne(e, rootPath)).collect(Collectors.joining(", ")))
          .collect(Collectors.joining("; or "));
      return path + ": matches none of the allowed forms (" + alternatives + ")";
    }

    private boolean allSingleTypeErrorsAtOnePlace() {
      NodePath place = null;
      for (List<Error> errors : byAlternative.values()) {
        if (errors.size() != 1 || !"type".equals(errors.get(0).getKeyword())) {
          return false;
        }
        NodePath here = errors.get(0).getInstanceLocation();
        if (place != null && !place.equals(here)) {
          return false;
        }
        place = here;
      }
      return true;
    }

    /** The shortest instance location among the group's errors: where the alternatives apply. */
    private NodePath location() {
      NodePath shortest = combinatorError == null ? null : combinatorError.getInstanceLocation();
      for (List<Error> errors : byAlternative.values()) {
        for (Error error : errors) {
          NodePath here = error.getInstanceLocation();
          if (shortest == null || here.getNameCount() < shortest.getNameCount()) {
            shortest = here;
          }
        }
      }
      return shortest;
    }
  }
}
