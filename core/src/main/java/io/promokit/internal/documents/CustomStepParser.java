package io.promokit.internal.documents;

import io.promokit.ConfigSchema;
import io.promokit.CustomStepDefinition;
import io.promokit.CustomStepDefinition.Output;
import io.promokit.CustomStepDefinition.OutputFormat;
import io.promokit.CustomStepDefinition.OutputSource;
import io.promokit.DocumentException;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.internal.yaml.YamlDocument;
import io.promokit.internal.yaml.YamlObject;
import io.promokit.internal.yaml.YamlValue;
import io.promokit.spi.PullPolicy;
import io.promokit.spi.ResourceRequirements;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads a {@code CustomPromotionStep} document (CUSTOM-STEPS.md section 1) into a
 * {@link CustomStepDefinition}, checking every rule of that section; each problem is a
 * {@link DocumentException} at the offending field's line.
 */
public final class CustomStepParser {

  static final List<String> SPEC_FIELDS = List.of("image", "command", "env", "output", "defaultTimeout",
      "defaultErrorThreshold", "capabilities", "resources", "imagePullSecrets", "failedExitCodes", "runAsUser",
      "imagePullPolicy", "gracePeriod", "description", "configSchema");

  private CustomStepParser() {}

  /** The {@link KindParser} for CustomPromotionStep documents. */
  public static void parse(YamlDocument document, YamlObject root, LoadedDocuments.Builder out) {
    out.definition(read(root));
  }

  /** Reads and checks one definition. */
  public static CustomStepDefinition read(YamlObject root) {
    root.allowOnly("apiVersion", "kind", "metadata", "spec", "status");
    YamlObject metadata = root.requiredObject("metadata").allowOnly("name", "namespace", "labels", "annotations");
    YamlValue nameValue = metadata.required("name");
    String name = nameValue.asString();
    if (!CustomStepDefinition.NAME.matcher(name).matches()) {
      throw nameValue.error("step name must match " + CustomStepDefinition.NAME.pattern()
          + " (lower-case letters, digits and dashes, starting and ending with a letter or digit), but was \"" + name + "\"");
    }
    CustomStepDefinition.Builder b = CustomStepDefinition.builder(name).location(root.location());
    YamlObject spec = root.requiredObject("spec").allowOnly(SPEC_FIELDS, Map.of(
        "timeout", "use \"defaultTimeout\" (a template's retry.timeout overrides it)",
        "errorThreshold", "use \"defaultErrorThreshold\" (a template's retry.errorThreshold overrides it)",
        "args", "put the whole argv in \"command\"",
        "format", "\"format\" belongs under \"output\" (or \"output.source\")"));
    ExpressionResolver parser = ExpressionResolver.create();

    YamlValue image = spec.required("image");
    set(image, v -> b.image(v.asString()));
    readCommand(spec, b, parser);
    readEnv(spec, b, parser);
    spec.optional("output").ifPresent(v -> b.output(readOutput(v.asObject(), parser)));
    spec.optional("defaultTimeout").ifPresent(v -> set(v, x -> b.defaultTimeout(x.asDuration())));
    spec.optional("defaultErrorThreshold").ifPresent(v -> set(v, x -> b.defaultErrorThreshold(x.asInt())));
    spec.optional("capabilities").ifPresent(v -> set(v, x -> b.capabilities(nonEmptyStrings(x))));
    spec.optional("resources").ifPresent(v -> b.resources(readResources(v.asObject())));
    spec.optional("imagePullSecrets").ifPresent(v -> b.imagePullSecrets(readPullSecrets(v)));
    spec.optional("failedExitCodes").ifPresent(v -> {
      Set<Integer> codes = new LinkedHashSet<>();
      for (YamlValue item : v.asList()) {
        set(item, x -> b.failedExitCodes(Set.of(x.asInt())));
        codes.add(item.asInt());
      }
      b.failedExitCodes(codes);
    });
    spec.optional("runAsUser").ifPresent(v -> set(v, x -> b.runAsUser(x.asInt())));
    spec.optional("imagePullPolicy").ifPresent(v -> {
      PullPolicy policy = PullPolicy.fromWord(v.asString());
      if (policy == null) {
        throw v.error("unknown imagePullPolicy \"" + v.asString() + "\"; expected Always, IfNotPresent or Never");
      }
      b.imagePullPolicy(policy);
    });
    spec.optional("gracePeriod").ifPresent(v -> set(v, x -> b.gracePeriod(x.asDuration())));
    spec.optional("description").ifPresent(v -> b.description(v.asString()));
    spec.optional("configSchema").ifPresent(v -> set(v, x -> b.configSchema(ConfigSchema.fromMap(x.asPlainObject()))));
    return b.build();
  }

  private static void readCommand(YamlObject spec, CustomStepDefinition.Builder b, ExpressionResolver parser) {
    YamlValue command = spec.required("command");
    if (command.isScalar()) {
      throw command.error("expected a list (the argv, for example [\"sh\", \"-c\", \"echo hi\"]), but was a string");
    }
    List<YamlValue> items = command.asList();
    if (items.isEmpty()) {
      throw command.error("must not be empty");
    }
    List<String> argv = new ArrayList<>();
    for (YamlValue item : items) {
      String arg = item.asScalarText();
      checkTemplate(item, arg, parser);
      argv.add(arg);
    }
    set(command, v -> b.command(argv));
  }

  private static void readEnv(YamlObject spec, CustomStepDefinition.Builder b, ExpressionResolver parser) {
    for (YamlObject item : spec.objectList("env")) {
      item.allowOnly(List.of("name", "value"), Map.of("valueFrom",
          "secrets reach a container through \"value: ${{ secret('name').key }}\" or a capability"));
      YamlValue name = item.required("name");
      String value = item.optional("value").map(YamlValue::asScalarText).orElse("");
      item.optional("value").ifPresent(v -> checkTemplate(v, value, parser));
      set(name, v -> b.env(v.asString(), value));
    }
  }

  private static Output readOutput(YamlObject output, ExpressionResolver parser) {
    output.allowOnly("source", "format", "transform");
    OutputSource type = OutputSource.PIPE;
    String path = "";
    OutputFormat format = null;
    YamlValue formatValue = null;
    if (output.optionalObject("source").isPresent()) {
      YamlObject source = output.requiredObject("source").allowOnly("type", "path", "format");
      YamlValue typeValue = source.optional("type").orElse(null);
      if (typeValue != null) {
        type = OutputSource.fromWord(typeValue.asString()).orElseThrow(() -> typeValue.error("unknown output type \""
            + typeValue.asString() + "\"; expected " + words(OutputSource.values())));
      }
      YamlValue pathValue = source.optional("path").orElse(null);
      path = pathValue == null ? "" : pathValue.asString();
      if (type == OutputSource.FILE && path.isBlank()) {
        throw source.error("path", "output.source.path must be set when the type is File");
      }
      if (type != OutputSource.FILE && !path.isEmpty()) {
        throw pathValue.error("path is only allowed when the type is File, but the type is " + type.word());
      }
      formatValue = source.optional("format").orElse(null);
    }
    YamlValue outerFormat = output.optional("format").orElse(null);
    if (outerFormat != null && formatValue != null && !outerFormat.asString().equals(formatValue.asString())) {
      throw outerFormat.error("output.format \"" + outerFormat.asString() + "\" and output.source.format \""
          + formatValue.asString() + "\" disagree; give it once");
    }
    YamlValue chosen = outerFormat != null ? outerFormat : formatValue;
    if (chosen != null) {
      format = OutputFormat.fromWord(chosen.asString()).orElseThrow(() -> chosen.error("unknown output format \""
          + chosen.asString() + "\"; expected " + words(OutputFormat.values())));
    }
    Map<String, String> transform = new LinkedHashMap<>();
    YamlObject transformObject = output.optionalObject("transform").orElse(null);
    if (transformObject != null) {
      for (String key : transformObject.fieldNames()) {
        YamlValue expression = transformObject.required(key);
        String text = expression.asScalarText();
        try {
          parser.inspectExpression(text);
        } catch (ExpressionException e) {
          throw expression.error(e.getMessage());
        }
        transform.put(key, text);
      }
    }
    try {
      return new Output(type, path, format, transform);
    } catch (IllegalArgumentException e) {
      throw output.error("source", e.getMessage());
    }
  }

  private static ResourceRequirements readResources(YamlObject resources) {
    resources.allowOnly("requests", "limits");
    return new ResourceRequirements(quantities(resources, "requests"), quantities(resources, "limits"));
  }

  private static Map<String, String> quantities(YamlObject resources, String field) {
    Map<String, String> values = new LinkedHashMap<>();
    YamlObject object = resources.optionalObject(field).orElse(null);
    if (object == null) {
      return values;
    }
    object.allowOnly("memory", "cpu");
    for (String key : object.fieldNames()) {
      YamlValue value = object.required(key);
      String text = value.asScalarText();
      if (!io.promokit.spi.Quantity.isValid(text)) {
        throw value.error("invalid quantity \"" + text + "\": expected a Kubernetes quantity such as 128Mi, 1Gi, 500m or 0.5");
      }
      values.put(key, text);
    }
    return values;
  }

  /** Names as strings, or as {@code {name: x}} objects the way Kubernetes writes them. */
  private static List<String> readPullSecrets(YamlValue list) {
    List<String> names = new ArrayList<>();
    for (YamlValue item : list.asList()) {
      if (item.isMapping()) {
        YamlObject ref = item.asObject().allowOnly("name");
        names.add(nonEmpty(ref.required("name")));
      } else {
        names.add(nonEmpty(item));
      }
    }
    return names;
  }

  private static List<String> nonEmptyStrings(YamlValue list) {
    List<String> names = new ArrayList<>();
    for (YamlValue item : list.asList()) {
      names.add(nonEmpty(item));
    }
    return names;
  }

  private static String nonEmpty(YamlValue value) {
    String text = value.asString();
    if (text.isBlank()) {
      throw value.error("must not be empty");
    }
    return text;
  }

  private static void checkTemplate(YamlValue value, String template, ExpressionResolver parser) {
    if (!template.contains("${")) {
      return;
    }
    try {
      parser.inspect(template);
    } catch (ExpressionException e) {
      throw value.error(e.getMessage());
    }
  }

  /** Runs a builder setter, turning its complaint into an error at the value. */
  private static void set(YamlValue value, Consumer<YamlValue> setter) {
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      throw value.error(e.getMessage());
    }
  }

  private static String words(Enum<?>[] values) {
    return Arrays.stream(values).map(v -> v instanceof OutputSource s ? s.word() : ((OutputFormat) v).word())
        .collect(Collectors.joining(", "));
  }
}
