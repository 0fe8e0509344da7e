package io.promokit.steps.argocd;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.promokit.RegisteredStep;
import io.promokit.steps.kit.StepDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Kargo's Argo CD steps: {@code argocd-update} and {@code argocd-wait} (docs/steps), on Argo CD's
 * {@code Application} resources through a fabric8 client. Register them next to the built-ins:
 *
 * <pre>{@code
 * ArgoCdSteps argocd = ArgoCdSteps.builder().client(kubernetesClient).namespace("argocd").build();
 * StepRegistry registry = StepRegistry.builder().withBuiltins().register(argocd.steps()).build();
 * }</pre>
 *
 * <p>The steps call the Kubernetes API as the Kubernetes runtime does: a call that fails for a passing reason
 * (429, 5xx, a refused or reset connection) is tried again with exponential backoff, {@code apiAttempts} times in
 * all (the client is used through a copy with its own request retries off); what fails for good is an error
 * naming what was asked and what to fix. Patches carry the resourceVersion read and are made again from a fresh
 * read when the Application changed meanwhile (409). A waiting step returns {@code Running} and is polled every
 * {@code pollInterval}.
 *
 * <p>Without a client the steps are still registered (for validation and listing) and error when they run, as
 * Kargo's do when its Argo CD integration is off. Thread-safe: the steps may run in several promotions at once.
 * The client stays the host's: it is not closed here.
 */
public final class ArgoCdSteps {

  /** The namespace Argo CD's Applications live in unless a step's config or the builder names another. */
  public static final String DEFAULT_NAMESPACE = "argocd";

  private final List<RegisteredStep> steps;
  private final KubernetesClient client;
  private final String namespace;

  private ArgoCdSteps(Builder b) {
    this.client = b.client == null ? null : withoutClientRetries(b.client);
    this.namespace = b.namespace;
    ArgoCdApi api = client == null ? null : new ArgoCdApi(client, new ApiCalls(b.apiAttempts, b.apiBackoff));
    ArgoCdSettings settings = new ArgoCdSettings(api, b.namespace, b.pollInterval, b.initiator);
    ArgoCdUpdateStep update = new ArgoCdUpdateStep(settings);
    ArgoCdWaitStep wait = new ArgoCdWaitStep(settings);
    this.steps = List.of(
        StepDefinition.builder("argocd-update")
            .schemaResource(ArgoCdSteps.class, "schemas/argocd-update.json")
            .defaultTimeout(Duration.ofMinutes(5))
            .run(UpdateConfig.class, update::run)
            .build(),
        StepDefinition.builder("argocd-wait")
            .schemaResource(ArgoCdSteps.class, "schemas/argocd-wait.json")
            .defaultTimeout(Duration.ofMinutes(5))
            .run(WaitConfig.class, wait::run)
            .build());
  }

  /** Starts the settings; without a client the steps are only listed and validated. */
  public static Builder builder() {
    return new Builder();
  }

  /** The steps without a client: they can be listed and validated, and error when they run. */
  public static ArgoCdSteps unconfigured() {
    return builder().build();
  }

  /** {@code argocd-update} and {@code argocd-wait}, kind {@link io.promokit.StepKind#BUILTIN}, default timeout 5m. */
  public List<RegisteredStep> steps() {
    return steps;
  }

  /** The namespace of Applications whose step config names none. */
  public String namespace() {
    return namespace;
  }

  /**
   * Checks, once and without retry, that the client reaches a cluster that serves Argo CD Applications and may list
   * them in {@link #namespace()}: for a host that checks before promotions start (the CLI does, exit code 2).
   *
   * @throws IllegalStateException when the steps have no client
   * @throws io.promokit.PromotionException saying what failed and what to fix (credentials, permissions, a cluster
   *     without Argo CD, an API server that does not answer)
   */
  public void verifyAccess() {
    if (client == null) {
      throw new IllegalStateException("these ArgoCdSteps have no Kubernetes client (ArgoCdSteps.Builder.client)");
    }
    new ArgoCdApi(client, new ApiCalls(1, Duration.ofSeconds(1))).verify(namespace);
  }

  private static KubernetesClient withoutClientRetries(KubernetesClient client) {
    RequestConfig config = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
        .withRequestRetryBackoffLimit(0)
        .build();
    return client.newClient(config).adapt(KubernetesClient.class);
  }

  /** Builds {@link ArgoCdSteps}; every setter checks its value. */
  public static final class Builder {
    private KubernetesClient client;
    private String namespace = DEFAULT_NAMESPACE;
    private Duration pollInterval = Duration.ofSeconds(5);
    private int apiAttempts = 5;
    private Duration apiBackoff = Duration.ofSeconds(1);
    private String initiator = "promokit";

    private Builder() {}

    /** The client for the cluster Argo CD runs in (required for the steps to run; the host keeps closing it). */
    public Builder client(KubernetesClient client) {
      this.client = Objects.requireNonNull(client, "client must not be null");
      return this;
    }

    /** The namespace of Applications whose config names none (default {@code argocd}). */
    public Builder namespace(String namespace) {
      if (namespace == null || !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        throw new IllegalArgumentException("namespace must be a Kubernetes namespace name (lower-case letters, digits "
            + "and '-', at most 63), but was " + (namespace == null ? "null" : "\"" + namespace + "\""));
      }
      this.namespace = namespace;
      return this;
    }

    /**
     * How long a step that waits for Argo CD asks to wait before it is invoked again (default 5 s). Kargo is woken
     * by watch events; promokit polls.
     */
    public Builder pollInterval(Duration interval) {
      Objects.requireNonNull(interval, "pollInterval must not be null");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive, but was " + interval);
      }
      this.pollInterval = interval;
      return this;
    }

    /** How many times one API call is tried when it fails for a passing reason (default 5; 1 = no retry). */
    public Builder apiAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("apiAttempts must be at least 1, but was " + attempts);
      }
      this.apiAttempts = attempts;
      return this;
    }

    /** The first wait between tries of an API call, doubled each time up to 30 s (default 1 s). */
    public Builder apiBackoff(Duration backoff) {
      Objects.requireNonNull(backoff, "apiBackoff must not be null");
      if (backoff.isNegative() || backoff.isZero()) {
        throw new IllegalArgumentException("apiBackoff must be positive, but was " + backoff);
      }
      this.apiBackoff = backoff;
      return this;
    }

    /**
     * Who starts syncs for promotions without an actor: the operation's {@code initiatedBy.username} and the
     * Event's user (default {@code promokit}; Kargo writes {@code kargo-controller}).
     */
    public Builder initiator(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("initiator must not be empty");
      }
      this.initiator = name;
      return this;
    }

    /** The steps with these settings. */
    public ArgoCdSteps build() {
      return new ArgoCdSteps(this);
    }
  }
}
