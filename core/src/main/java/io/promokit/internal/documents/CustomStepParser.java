package io.promokit.internal.documents;

import io.promokit.ConfigSchema;
import io.promokit.CustomStepDefinition;
import io.promokit.CustomStepDefinition.Output;
import io.promokit.CustomStepDefinition.OutputFormat;
import io.promokit.CustomStepDefinition.OutputSource;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.internal.yaml.DocumentProblems;
import io.promokit.internal.yaml.YamlDocument;
import io.promokit.internal.yaml.YamlObject;
import io.promokit.internal.yaml.YamlValue;
import io.promokit.spi.ContainerNetwork;
import io.promokit.spi.PullPolicy;
import io.promokit.spi.ResourceRequirements;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads a {@code CustomPromotionStep} document (CUSTOM-STEPS.md section 1) into a
 * {@link CustomStepDefinition}, checking every rule of that section; each problem is recorded at the
 * offending field's line and the field skipped, so one read reports them all.
 */
public final class CustomStepParser {

  static final List<String> SPEC_FIELDS = List.of("image", "command", "env", "output", "defaultTimeout",
      "defaultErrorThreshold", "capabilities", "resources", "imagePullSecrets", "failedExitCodes", "runAsUser",
      "imagePullPolicy", "gracePeriod", "description", "configSchema", "network");

  private CustomStepParser() {}

  /** The {@link KindParser} for CustomPromotionStep documents. */
  public static void parse(YamlDocument document, YamlObject root, LoadedDocuments.Builder out) {
    read(root, out.problems()).ifPresent(out::definition);
  }

  /**
   * Reads and checks one definition, recording every problem. A field with a problem is skipped (it keeps its
   * default); the definition is still made when its name, image and command are sound, so that templates
   * using it can be checked too.
   *
   * @return the definition, or empty when its name, image or command is unusable
   */
  public static Optional<CustomStepDefinition> read(YamlObject root, DocumentProblems problems) {
    root.allowOnly(problems, "apiVersion", "kind", "metadata", "spec", "status");
    String name = problems.orElse(() -> name(root, problems), null);
    // A placeholder name keeps the other fields checked; the definition is not made without a valid name.
    CustomStepDefinition.Builder b =
        CustomStepDefinition.builder(name == null ? "invalid" : name).location(root.location());
    YamlObject spec = root.requiredObject("spec").allowOnly(SPEC_FIELDS, Map.of(
        "timeout", "use \"defaultTimeout\" (a template's retry.timeout overrides it)",
        "errorThreshold", "use \"defaultErrorThreshold\" (a template's retry.errorThreshold overrides it)",
        "args", "put the whole argv in \"command\"",
        "format", "\"format\" belongs under \"output\" (or \"output.source\")"), problems);
    ExpressionResolver parser = ExpressionResolver.create();

    problems.attempt(() -> set(spec.required("image"), v -> b.image(v.asString())));
    problems.attempt(() -> readCommand(spec, b, parser, problems));
    readEnv(spec, b, parser, problems);
    optional(spec, "output", problems, v -> b.output(readOutput(v.asObject(), parser, problems)));
    optional(spec, "defaultTimeout", problems, v -> set(v, x -> b.defaultTimeout(x.asDuration())));
    optional(spec, "defaultErrorThreshold", problems, v -> set(v, x -> b.defaultErrorThreshold(x.asInt())));
    optional(spec, "capabilities", problems, v -> set(v, x -> b.capabilities(nonEmptyStrings(x, problems))));
    optional(spec, "resources", problems, v -> b.resources(readResources(v.asObject(), problems)));
    optional(spec, "imagePullSecrets", problems, v -> b.imagePullSecrets(readPullSecrets(v, problems)));
    optional(spec, "failedExitCodes", problems, v -> {
      Set<Integer> codes = new LinkedHashSet<>();
      for (YamlValue item : v.asList()) {
        problems.attempt(() -> {
          set(item, x -> b.failedExitCodes(Set.of(x.asInt())));
          codes.add(item.asInt());
        });
      }
      b.failedExitCodes(codes);
    });
    optional(spec, "runAsUser", problems, v -> set(v, x -> b.runAsUser(x.asInt())));
    optional(spec, "imagePullPolicy", problems, v -> {
      PullPolicy policy = PullPolicy.fromWord(v.asString());
      if (policy == null) {
        throw v.error("unknown imagePullPolicy \"" + v.asString() + "\"; expected Always, IfNotPresent or Never");
      }
      b.imagePullPolicy(policy);
    });
    optional(spec, "network", problems, v -> b.network(ContainerNetwork.fromWord(v.asString()).orElseThrow(() ->
        v.error("unknown network \"" + v.asString() + "\"; expected default (the runtime's network) or none"))));
    optional(spec, "gracePeriod", problems, v -> set(v, x -> b.gracePeriod(x.asDuration())));
    optional(spec, "description", problems, v -> b.description(v.asString()));
    optional(spec, "configSchema", problems,
        v -> set(v, x -> b.configSchema(ConfigSchema.fromMap(x.asPlainObject()))));
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(b.build());
    } catch (IllegalArgumentException | IllegalStateException e) {
      // Image or command could not be read: that problem is recorded already.
      return Optional.empty();
    }
  }

  private static String name(YamlObject root, DocumentProblems problems) {
    YamlObject metadata = root.requiredObject("metadata")
        .allowOnly(problems, "name", "namespace", "labels", "annotations");
    YamlValue nameValue = metadata.required("name");
    String name = nameValue.asString();
    if (!CustomStepDefinition.NAME.matcher(name).matches()) {
      throw nameValue.error("step name must match " + CustomStepDefinition.NAME.pattern()
          + " (lower-case letters, digits and dashes, starting and ending with a letter or digit), but was \""
          + name + "\"");
    }
    return name;
  }

  /** Reads an optional field when written, recording its problem. */
  private static void optional(YamlObject spec, String field, DocumentProblems problems, Consumer<YamlValue> read) {
    problems.read(() -> spec.optional(field).orElse(null)).ifPresent(value -> problems.attempt(() -> read.accept(value)));
  }

  private static void readCommand(YamlObject spec, CustomStepDefinition.Builder b, ExpressionResolver parser,
      DocumentProblems problems) {
    YamlValue command = spec.required("command");
    if (command.isScalar()) {
      throw command.error("expected a list (the argv, for example [\"sh\", \"-c\", \"echo hi\"]), but was a string");
    }
    List<YamlValue> items = command.asList();
    if (items.isEmpty()) {
      throw command.error("must not be empty");
    }
    List<String> argv = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      YamlValue item = items.get(i);
      String field = "command[" + i + "]";
      problems.attempt(() -> {
        String arg = item.asScalarText();
        b.fieldLocation(field, item.location());
        argv.add(arg);
        checkTemplate(item, arg, parser);
      });
    }
    if (argv.size() == items.size()) {
      set(command, v -> b.command(argv));
    }
  }

  private static void readEnv(YamlObject spec, CustomStepDefinition.Builder b, ExpressionResolver parser,
      DocumentProblems problems) {
    for (YamlObject item : problems.orElse(() -> spec.objectList("env"), List.<YamlObject>of())) {
      problems.attempt(() -> {
        item.allowOnly(List.of("name", "value"), Map.of("valueFrom",
            "secrets reach a container through \"value: ${{ secret('name').key }}\" or a capability"), problems);
        YamlValue name = item.required("name");
        String value = item.optional("value").map(YamlValue::asScalarText).orElse("");
        item.optional("value").ifPresent(v -> checkTemplate(v, value, parser));
        set(name, v -> b.env(v.asString(), value));
      });
    }
  }

  private static Output readOutput(YamlObject output, ExpressionResolver parser, DocumentProblems problems) {
    int mark = problems.size();
    output.allowOnly(problems, "source", "format", "transform");
    OutputSource type = OutputSource.PIPE;
    boolean typeKnown = true;
    String path = "";
    OutputFormat format = null;
    YamlValue formatValue = null;
    YamlObject source = problems.orElse(() -> output.optionalObject("source").orElse(null), null);
    if (source != null) {
      source.allowOnly(problems, "type", "path", "format");
      YamlValue typeValue = problems.orElse(() -> source.optional("type").orElse(null), null);
      if (typeValue != null) {
        Optional<OutputSource> known = problems.read(() -> OutputSource.fromWord(typeValue.asString())
            .orElseThrow(() -> typeValue.error("unknown output type \"" + typeValue.asString() + "\"; expected "
                + words(OutputSource.values()))));
        typeKnown = known.isPresent();
        type = known.orElse(type);
      }
      YamlValue pathValue = problems.orElse(() -> source.optional("path").orElse(null), null);
      path = pathValue == null ? "" : problems.orElse(pathValue::asString, "");
      // With an unknown type, whether a path belongs is unknown too.
      if (typeKnown && type == OutputSource.FILE && path.isBlank()) {
        problems.add(source.error("path", "output.source.path must be set when the type is File"));
      }
      if (typeKnown && type != OutputSource.FILE && !path.isEmpty()) {
        problems.add(pathValue.error("path is only allowed when the type is File, but the type is " + type.word()));
        path = "";
      }
      formatValue = problems.orElse(() -> source.optional("format").orElse(null), null);
    }
    YamlValue outerFormat = problems.orElse(() -> output.optional("format").orElse(null), null);
    YamlValue chosen = outerFormat != null ? outerFormat : formatValue;
    if (outerFormat != null && formatValue != null) {
      String outer = problems.orElse(outerFormat::asString, null);
      String inner = problems.orElse(formatValue::asString, null);
      if (outer != null && inner != null && !outer.equals(inner)) {
        problems.add(outerFormat.error("output.format \"" + outer + "\" and output.source.format \"" + inner
            + "\" disagree; give it once"));
        chosen = null;
      }
    }
    if (chosen != null) {
      YamlValue formatWord = chosen;
      format = problems.read(() -> OutputFormat.fromWord(formatWord.asString()).orElseThrow(() -> formatWord.error(
          "unknown output format \"" + formatWord.asString() + "\"; expected " + words(OutputFormat.values()))))
          .orElse(null);
    }
    Map<String, String> transform = new LinkedHashMap<>();
    YamlObject transformObject = problems.orElse(() -> output.optionalObject("transform").orElse(null), null);
    if (transformObject != null) {
      for (String key : transformObject.fieldNames()) {
        problems.attempt(() -> {
          YamlValue expression = transformObject.required(key);
          String text = expression.asScalarText();
          try {
            parser.inspectExpression(text);
          } catch (ExpressionException e) {
            throw expression.error(e.getMessage());
          }
          transform.put(key, text);
        });
      }
    }
    try {
      return new Output(type, path, format, transform);
    } catch (IllegalArgumentException e) {
      if (problems.size() > mark) {
        return Output.DEFAULT; // what made it invalid is recorded already
      }
      throw output.error("source", e.getMessage());
    }
  }

  private static ResourceRequirements readResources(YamlObject resources, DocumentProblems problems) {
    resources.allowOnly(problems, "requests", "limits");
    return new ResourceRequirements(quantities(resources, "requests", problems),
        quantities(resources, "limits", problems));
  }

  private static Map<String, String> quantities(YamlObject resources, String field, DocumentProblems problems) {
    Map<String, String> values = new LinkedHashMap<>();
    YamlObject object = problems.orElse(() -> resources.optionalObject(field).orElse(null), null);
    if (object == null) {
      return values;
    }
    object.allowOnly(problems, "memory", "cpu");
    for (String key : object.fieldNames()) {
      if (!key.equals("memory") && !key.equals("cpu")) {
        continue;
      }
      problems.attempt(() -> {
        YamlValue value = object.required(key);
        String text = value.asScalarText();
        if (!io.promokit.spi.Quantity.isValid(text)) {
          throw value.error("invalid quantity \"" + text
              + "\": expected a Kubernetes quantity such as 128Mi, 1Gi, 500m or 0.5");
        }
        values.put(key, text);
      });
    }
    return values;
  }

  /** Names as strings, or as {@code {name: x}} objects the way Kubernetes writes them. */
  private static List<String> readPullSecrets(YamlValue list, DocumentProblems problems) {
    List<String> names = new ArrayList<>();
    for (YamlValue item : list.asList()) {
      problems.attempt(() -> {
        if (item.isMapping()) {
          YamlObject ref = item.asObject().allowOnly(problems, "name");
          names.add(nonEmpty(ref.required("name")));
        } else {
          names.add(nonEmpty(item));
        }
      });
    }
    return names;
  }

  private static List<String> nonEmptyStrings(YamlValue list, DocumentProblems problems) {
    List<String> names = new ArrayList<>();
    for (YamlValue item : list.asList()) {
      problems.attempt(() -> names.add(nonEmpty(item)));
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
