package io.promokit.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.promokit.documents.PlannedStep;
import io.promokit.PromotionContext;
import io.promokit.PromotionException;
import io.promokit.documents.PromotionPlan;
import io.promokit.documents.VarSpec;
import io.promokit.expressions.ExpressionEnvironment;
import io.promokit.expressions.ExpressionException;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.ParsedExpression;
import io.promokit.expressions.StepStatusView;
import io.promokit.steps.argocd.ArgoCdSteps;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --argocd-kubeconfig} and {@code --argocd-namespace}: the cluster Argo CD runs in, for argocd-update and
 * argocd-wait. Only a promotion that may run one of them connects, and it is checked before anything runs (exit 2),
 * as {@code --runtime kubernetes} is. A step whose {@code if} is false from the vars and {@code ctx} alone,
 * whatever the earlier steps do (the GitOps example's {@code if: ${{ success() && vars.syncArgoCD == 'true' }}}
 * with {@code --var syncArgoCD=false}), will not run and needs no cluster.
 */
final class ArgoCdOptions {

  static final Set<String> STEPS = Set.of("argocd-update", "argocd-wait");
  private static final Set<String> STATUS_FUNCTIONS = Set.of("success", "failure", "always");

  Path kubeconfig;

  String namespace;

  /** Declares the {@code --argocd-*} options. */
  void declare(Arguments arguments) {
    arguments.value("--argocd-kubeconfig", "FILE",
        "argocd-update/argocd-wait: kubeconfig of the cluster Argo CD runs in (its current context);"
            + " default: the usual lookup (KUBECONFIG, ~/.kube/config, in-cluster).",
        Arguments.path("--argocd-kubeconfig", file -> kubeconfig = file));
    arguments.value("--argocd-namespace", "NS",
        "argocd-update/argocd-wait: namespace of Applications a step names no namespace for (default: argocd).",
        ns -> namespace = ns);
  }

  /** The Argo CD steps bound to the cluster, and the client to close after the promotion. */
  record Connection(KubernetesClient client, ArgoCdSteps steps) implements AutoCloseable {
    @Override
    public void close() {
      client.close();
    }
  }

  /**
   * Connects when the promotion may run an Argo CD step, and checks the cluster.
   *
   * @return empty when no Argo CD step will run
   * @throws BadInputException naming the step, the kubeconfig and what is wrong
   */
  Optional<Connection> connect(PromotionPlan plan, Map<String, String> varOverrides, PromotionContext context,
      PrintWriter err) {
    Optional<PlannedStep> first = firstThatMayRun(plan, varOverrides, context);
    if (first.isEmpty()) {
      return Optional.empty();
    }
    String user = "step \"" + first.get().alias() + "\" uses " + first.get().uses();
    Config config = config(user);
    String source = kubeconfig != null ? "--argocd-kubeconfig " + kubeconfig
        : "the default kubeconfig lookup (KUBECONFIG, ~/.kube/config, in-cluster)";
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    try {
      ArgoCdSteps.Builder builder = ArgoCdSteps.builder().client(client);
      if (namespace != null) {
        builder.namespace(namespace);
      }
      ArgoCdSteps steps = builder.build();
      steps.verifyAccess();
      err.println("promokit: Argo CD steps use the cluster at " + client.getMasterUrl() + " (" + source
          + "), Applications in namespace " + steps.namespace() + " unless a step names another");
      return Optional.of(new Connection(client, steps));
    } catch (IllegalArgumentException e) {
      client.close();
      throw new BadInputException("--argocd-namespace: " + e.getMessage(), e);
    } catch (PromotionException e) {
      client.close();
      throw new BadInputException(user + ", and the cluster of " + source + " (" + client.getMasterUrl()
          + ") cannot be used: " + e.getMessage()
          + (kubeconfig == null ? "; to use another cluster, give --argocd-kubeconfig FILE" : ""), e);
    }
  }

  private Config config(String user) {
    if (kubeconfig == null) {
      return Config.autoConfigure(null);
    }
    if (!Files.isRegularFile(kubeconfig)) {
      throw new BadInputException("--argocd-kubeconfig " + kubeconfig + ": no such file (" + user + ")");
    }
    try {
      return Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toAbsolutePath().toString());
    } catch (IOException | RuntimeException e) {
      throw new BadInputException("--argocd-kubeconfig " + kubeconfig + ": not a usable kubeconfig: " + e.getMessage(), e);
    }
  }

  /**
   * The first Argo CD step that may run: one without {@code if}, or whose {@code if} is not false when evaluated
   * with the global vars and {@code ctx} alone, both after earlier failures and without (an {@code if} that reads
   * anything else, or calls {@code status()}, may be true).
   */
  static Optional<PlannedStep> firstThatMayRun(PromotionPlan plan, Map<String, String> varOverrides,
      PromotionContext context) {
    ExpressionResolver resolver = ExpressionResolver.create();
    Map<String, Object> vars = null;
    for (PlannedStep step : plan.steps()) {
      if (!STEPS.contains(step.uses())) {
        continue;
      }
      String condition = step.ifCondition();
      if (condition == null || condition.isBlank() || !step.vars().isEmpty()) {
        return Optional.of(step);
      }
      try {
        if (!readsOnlyVarsAndCtx(resolver, condition)) {
          return Optional.of(step);
        }
        if (vars == null) {
          vars = globalVars(resolver, plan, varOverrides, context);
        }
        for (boolean earlierFailure : new boolean[] {false, true}) {
          Object value = resolver.resolve(condition, ExpressionEnvironment.builder()
              .variable("ctx", context.toExpressionMap(step.alias())).variable("vars", vars)
              .statusView(statusView(earlierFailure)).build());
          if (!Boolean.FALSE.equals(value)) {
            return Optional.of(step);
          }
        }
      } catch (ExpressionException e) {
        return Optional.of(step); // the engine will report it; meanwhile assume it runs
      }
    }
    return Optional.empty();
  }

  /** A history where the earlier steps failed, or did not; no step's own status is known. */
  private static StepStatusView statusView(boolean anyFailed) {
    return new StepStatusView() {
      @Override
      public boolean anyFailed() {
        return anyFailed;
      }

      @Override
      public String status(String alias) {
        throw new IllegalStateException("not asked: status() makes a condition not static");
      }
    };
  }

  private static boolean readsOnlyVarsAndCtx(ExpressionResolver resolver, String condition) {
    for (ParsedExpression e : resolver.inspect(condition).expressions()) {
      if (!STATUS_FUNCTIONS.containsAll(e.functions())) {
        return false;
      }
      for (List<String> reference : e.references()) {
        if (reference.isEmpty() || !(reference.get(0).equals("vars") || reference.get(0).equals("ctx"))) {
          return false;
        }
      }
    }
    return true;
  }

  /** The global vars as the engine evaluates them, {@code --var}s in place (new ones last). */
  private static Map<String, Object> globalVars(ExpressionResolver resolver, PromotionPlan plan,
      Map<String, String> overrides, PromotionContext context) {
    List<VarSpec> specs = new ArrayList<>();
    Map<String, String> remaining = new LinkedHashMap<>(overrides);
    for (VarSpec v : plan.vars()) {
      specs.add(remaining.containsKey(v.name()) ? new VarSpec(v.name(), remaining.remove(v.name()), v.location()) : v);
    }
    remaining.forEach((name, value) -> specs.add(VarSpec.of(name, value)));
    Map<String, Object> vars = new LinkedHashMap<>();
    for (VarSpec v : specs) {
      vars.put(v.name(), v.value() instanceof String text
          ? resolver.resolve(text, ExpressionEnvironment.builder().variable("ctx", context.toExpressionMap(""))
              .variable("vars", vars).build())
          : v.value());
    }
    return vars;
  }
}
