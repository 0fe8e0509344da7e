package io.promokit.internal.validation;

import io.promokit.CustomStepDefinition;
import io.promokit.RegisteredStep;
import io.promokit.documents.PlannedStep;
import io.promokit.documents.Problem;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.ParsedExpression;
import io.promokit.expressions.TemplateInfo;
import io.promokit.spi.CapabilityProvider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Rules for steps that run a {@code CustomPromotionStep}:
 *
 * <ul>
 *   <li>error: the definition's {@code command} or {@code env} reads {@code config.x}, but the step's config
 *       does not set {@code x} (the step would fail before starting its container);
 *   <li>warning: {@code ${{ }}} inside the script of {@code sh -c} (or bash, dash, ...) without
 *       {@code shellQuote()}, when a step's value there can carry shell syntax: a value with spaces, quotes or
 *       {@code ;} changes the command (once per definition and expression, at the definition, naming the first
 *       such step). A value that cannot (a literal such as {@code 30} or {@code v1.2}, or a var holding one) gets
 *       no advice: the seed's {@code sleep} example runs without warnings; and with {@code shellQuote()} inside
 *       quotes, where it does not protect ({@link QuotedShellQuote});
 *   <li>error: {@code secret()} or {@code sharedSecret()} in {@code command}, where the value would show in
 *       the process list and the container's spec (secrets go through {@code env}); once per definition;
 *   <li>error: a capability the host's {@link CapabilityProvider} does not offer (only when the host gave
 *       its provider to the validator).
 * </ul>
 */
final class ContainerStepCheck implements ValidationCheck {

  /** Functions whose values must not reach {@code command}; as the container step refuses them at run time. */
  static final List<String> SECRET_FUNCTIONS = List.of("secret", "sharedSecret");

  private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox");

  @Override
  public void check(ValidationInput input, Consumer<Problem> problems) {
    Set<String> definitionsSeen = new HashSet<>();
    Set<String> shellWarnings = new HashSet<>();
    for (PlannedStep step : input.plan().steps()) {
      CustomStepDefinition definition = input.registry().find(step.uses())
          .filter(RegisteredStep.Container.class::isInstance)
          .map(r -> ((RegisteredStep.Container) r).definition()).orElse(null);
      if (definition == null) {
        continue;
      }
      checkConfigReferences(input.resolver(), step, definition, problems);
      ShellSplicing.check(input.resolver(), input.plan().vars(), step, definition, shellWarnings, problems);
      if (definitionsSeen.add(definition.name())) {
        // Worked out once per registry (per engine); reported at the first step that uses the definition.
        for (Problem p : input.findings().problemsOf(definition)) {
          problems.accept(new Problem(p.severity(), p.location(), step.alias(), p.configPath(), p.message()));
        }
      }
    }
  }

  /** The definition's own problems, with no step alias: secrets in its command, shell splicing, capabilities. */
  static List<Problem> definitionProblems(CustomStepDefinition definition, ExpressionResolver resolver,
      CapabilityProvider capabilities) {
    List<Problem> found = new ArrayList<>();
    checkSecretsInCommand(resolver, definition, found::add);
    int script = scriptIndex(definition.command());
    if (script >= 0) {
      QuotedShellQuote.check(definition, script, found::add);
    }
    if (capabilities != null) {
      checkCapabilities(capabilities, definition, found::add);
    }
    return found;
  }

  private static void checkConfigReferences(ExpressionResolver resolver, PlannedStep step, CustomStepDefinition definition,
      Consumer<Problem> problems) {
    Set<String> reported = new HashSet<>();
    forEachTemplate(definition, (where, template) -> {
      for (ParsedExpression expression : parse(resolver, template)) {
        for (List<String> path : expression.references()) {
          if (path.size() < 2 || !path.get(0).equals("config")) {
            continue;
          }
          String missing = missingKey(step.config(), path);
          if (missing != null && reported.add(missing)) {
            problems.accept(Problem.error(step.locationOf(missing), step.alias(), missing, "step \"" + definition.name()
                + "\" reads " + missing + " in " + where + ", but the step's config does not set it"));
          }
        }
      }
    });
  }

  /** The first config path of {@code path} that is not set, as far as the config is literal; null when set. */
  private static String missingKey(Map<String, Object> config, List<String> path) {
    Object current = config;
    StringBuilder name = new StringBuilder("config");
    for (String key : path.subList(1, path.size())) {
      if (!(current instanceof Map<?, ?> map)) {
        return null; // an expression, a list or a scalar: known only when the step runs
      }
      name.append('.').append(key);
      if (!map.containsKey(key)) {
        return name.toString();
      }
      current = map.get(key);
    }
    return null;
  }

  private static void checkSecretsInCommand(ExpressionResolver resolver, CustomStepDefinition definition,
      Consumer<Problem> problems) {
    List<String> command = definition.command();
    for (int i = 0; i < command.size(); i++) {
      for (ParsedExpression expression : parse(resolver, command.get(i))) {
        for (String function : SECRET_FUNCTIONS) {
          if (expression.functions().contains(function)) {
            problems.accept(Problem.error(definition.locationOf("command[" + i + "]"), null,
                "command[" + i + "]",
                "step \"" + definition.name() + "\" calls " + function + "() in command[" + i + "]: a secret in the"
                    + " command would show in the process list and the container's spec; pass it through env"));
          }
        }
      }
    }
  }

  /** The index of the script of {@code <shell> [flags] -c <script>}, or -1 when the command is no shell script. */
  static int scriptIndex(List<String> command) {
    String executable = command.get(0);
    String base = executable.substring(executable.lastIndexOf('/') + 1);
    int first = 1;
    if (base.equals("busybox") && command.size() > 1 && SHELLS.contains(command.get(1))) {
      first = 2;
    } else if (!SHELLS.contains(base) || base.equals("busybox")) {
      return -1;
    }
    for (int i = first; i < command.size() - 1; i++) {
      String arg = command.get(i);
      if (!arg.startsWith("-") || arg.startsWith("--")) {
        return -1; // a script file or a long option: not an inline script we can reason about
      }
      if (arg.indexOf('c') > 0) {
        return i + 1;
      }
    }
    return -1;
  }

  private static void checkCapabilities(CapabilityProvider provider, CustomStepDefinition definition,
      Consumer<Problem> problems) {
    Set<String> offered = provider.names();
    for (String capability : definition.capabilities()) {
      if (!offered.contains(capability)) {
        problems.accept(Problem.error(definition.location(), null, "capabilities",
            "step \"" + definition.name() + "\" needs capability \"" + capability + "\", which the host does not offer"
                + " (offered: " + (offered.isEmpty() ? "none" : String.join(", ", new TreeSet<>(offered))) + ")"));
      }
    }
  }

  private static void forEachTemplate(CustomStepDefinition definition, java.util.function.BiConsumer<String, String> action) {
    List<String> command = definition.command();
    for (int i = 0; i < command.size(); i++) {
      action.accept("command[" + i + "]", command.get(i));
    }
    definition.env().forEach(e -> action.accept("env." + e.name(), e.value()));
  }

  /** The expressions of a template; none when it has none or does not parse (reported when it was loaded). */
  static List<ParsedExpression> parse(ExpressionResolver resolver, String template) {
    if (!template.contains("${")) {
      return List.of();
    }
    try {
      TemplateInfo info = resolver.inspect(template);
      return info.expressions();
    } catch (ExpressionException e) {
      return List.of();
    }
  }
}
