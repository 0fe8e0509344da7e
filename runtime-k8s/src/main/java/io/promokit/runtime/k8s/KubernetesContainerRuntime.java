package io.promokit.runtime.k8s;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.promokit.spi.ContainerHandle;
import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerNetwork;
import io.promokit.spi.ContainerSelector;
import io.promokit.spi.ManagedContainer;
import io.promokit.spi.ContainerRequest;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.ContainerRuntimeException;
import io.promokit.spi.LogSink;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs container steps on Kubernetes, through the fabric8 client: one Pod per attempt, in one namespace.
 *
 * <p><b>The Pod.</b> Named by {@link ContainerRequest#name()}, labelled with the request's labels (engine,
 * promotion, step, attempt), {@code restartPolicy: Never}. The shared workdir is the configured
 * PersistentVolumeClaim mounted at {@code /workspace} (with a sub-path per promotion when the host says
 * where it mounts the claim); {@code runAsUser}, {@code runAsGroup}, {@code fsGroup} come from the request
 * so that the host's in-process steps and the Pods share files. Resources, {@code imagePullSecrets},
 * {@code imagePullPolicy} and the host's Pod template (node selector, tolerations, affinity, service
 * account, annotations) map to the Pod spec. Env values and files go into a per-attempt Secret (env
 * values may be secrets); the Pod references them, and the Secret is deleted with the Pod.
 *
 * <p><b>Output without a shell or a sidecar.</b> An init container from a small helper image
 * ({@link KubernetesRuntimeSettings#helperImage()}, BusyBox by default) copies a static BusyBox into an
 * emptyDir. The step container runs the step's argv under a short script of that BusyBox, so the step
 * image needs no shell (distroless works). The script creates {@code KARGO_OUTPUT} (in the emptyDir,
 * outside {@code /workspace}), runs the command (found in the image's {@code PATH}) with stderr tagged
 * line by line, forwards SIGTERM to every process of the container, and when the command has ended
 * writes the output file base64-encoded between two marker lines into the log and exits with the
 * command's status. The runtime follows the log: untagged lines go to the {@link LogSink} as stdout,
 * tagged ones as stderr, and the frame is taken out of the stream and kept for
 * {@link ContainerHandle#readOutputFile(long)}, up to {@link KubernetesRuntimeSettings#outputCaptureLimit()}
 * bytes (16 MiB by default; the 4 KiB termination message would not do). Tags and markers carry a random
 * per-attempt id. Messages about the Pod itself (cannot be scheduled yet, a mount failed) go to the sink
 * as {@code INFO} lines.
 *
 * <p><b>Completion.</b> Each Pod is watched through an informer, which lists again and re-watches when a
 * watch drops; Events are watched once per runtime for detail. Image pull errors that will not pass
 * (image missing, name invalid, access denied), containers that cannot be created, and a failed helper
 * are terminal errors at once; an unreachable or failing registry and an unschedulable Pod are retryable
 * errors after their grace periods; an evicted Pod or one deleted by someone else is a retryable error
 * ("the Pod disappeared"). Exit codes and {@code OOMKilled} come from the container's terminated state,
 * after every log line was delivered. Stop deletes the Pod with the grace period (the kubelet sends
 * SIGTERM, then SIGKILL); {@link ContainerHandle#close()} deletes Pod and Secret whatever happened;
 * {@link #reap(String)} deletes what a dead engine left. API calls that fail for a passing reason (429,
 * 5xx, connection reset) are tried again with backoff; others are reported with what was asked.
 *
 * <p>The client needs, in the namespace: pods (create, get, list, watch, delete), pods/log (get), secrets
 * (create, get, patch, list, delete), events (list, watch), and for steps with {@code network: none}
 * networkpolicies (get, create). Thread-safe; one runtime serves many
 * promotions.
 */
public final class KubernetesContainerRuntime implements ContainerRuntime {

  private final KubernetesClient client;
  private final KubernetesClient ownedClient;
  private final RuntimeContext ctx;
  private final NoNetworkPolicy noNetwork;

  private KubernetesContainerRuntime(KubernetesClient given, boolean owned, KubernetesRuntimeSettings settings) {
    this.ownedClient = owned ? given : null;
    this.client = withoutClientRetries(given);
    String namespace = settings.namespace().orElseGet(() -> Objects.requireNonNullElse(given.getNamespace(),
        "default"));
    ThreadFactory logThreads = daemonThreads("promokit-k8s-log-");
    ExecutorService followers = Executors.newCachedThreadPool(logThreads);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("promokit-k8s-timer-"));
    this.ctx = new RuntimeContext(client, namespace, settings, new ApiCalls(settings.apiAttempts(), settings.apiBackoff()),
        followers, scheduler, new PodEventWatch(client, namespace, scheduler));
    this.noNetwork = new NoNetworkPolicy(ctx);
  }

  /**
   * A runtime with default settings, connected as the environment says: {@code KUBECONFIG} or
   * {@code ~/.kube/config} (its current context's namespace), else the in-cluster service account.
   */
  public static KubernetesContainerRuntime create() {
    return create(KubernetesRuntimeSettings.defaults());
  }

  /** A runtime connected as the environment says (see {@link #create()}); {@link #close()} closes the client. */
  public static KubernetesContainerRuntime create(KubernetesRuntimeSettings settings) {
    Objects.requireNonNull(settings, "settings must not be null");
    return new KubernetesContainerRuntime(new KubernetesClientBuilder().build(), true, settings);
  }

  /**
   * A runtime that uses the given client (which stays the caller's to close). The runtime makes its
   * requests through a derived client without fabric8's own request retries, and retries as its settings
   * say.
   */
  public static KubernetesContainerRuntime create(KubernetesClient client, KubernetesRuntimeSettings settings) {
    Objects.requireNonNull(client, "client must not be null");
    Objects.requireNonNull(settings, "settings must not be null");
    return new KubernetesContainerRuntime(client, false, settings);
  }

  /** {@code kubernetes}. */
  @Override
  public String name() {
    return "kubernetes";
  }

  /** The namespace step Pods run in. */
  public String namespace() {
    return ctx.namespace();
  }

  /**
   * Checks, before a promotion starts, what every step will need: the API server answers, the namespace
   * exists and Pods in it may be listed. (When the account may not read namespaces, the namespace's
   * existence is left to the first Pod's creation, which names it.) Transient errors are tried again as the
   * settings say.
   *
   * @throws ContainerRuntimeException saying what was asked and the answer: retryable when the API server
   *     did not answer, terminal when the namespace is missing or access is denied
   */
  public void verifyAccess() {
    String namespace = ctx.namespace();
    try {
      Namespace found = ctx.api().callRaw("read namespace " + namespace,
          () -> client.namespaces().withName(namespace).get());
      if (found == null) {
        throw ContainerRuntimeException.terminal("namespace \"" + namespace + "\" not found on the Kubernetes API server at "
            + client.getMasterUrl());
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw ApiCalls.permanent("read namespace " + namespace, e);
      }
      // May not read namespaces (a namespace-scoped account): listing Pods below still checks access.
    }
    ctx.api().call("list Pods in namespace " + namespace,
        () -> client.pods().inNamespace(namespace).list(new ListOptionsBuilder().withLimit(1L).build()));
  }

  /**
   * Creates the attempt's Secret and Pod and returns while the Pod is scheduled and its images pulled.
   * API errors are thrown here; what the Pod then meets (image pull errors, unschedulable, a vanished Pod)
   * comes from {@link ContainerHandle#await(java.time.Duration)}.
   */
  @Override
  public ContainerHandle start(ContainerRequest request, LogSink logs) {
    Objects.requireNonNull(request, "request must not be null");
    Objects.requireNonNull(logs, "logs must not be null");
    if (request.network() == ContainerNetwork.NONE) {
      noNetwork.ensure();
    }
    return KubernetesContainerHandle.start(ctx, request, logs);
  }

  /**
   * Deletes the Pods and Secrets labelled with the engine id (Pods at once, without grace period), and
   * returns how many Pods it deleted; Pods already being deleted are left to finish and not counted.
   */
  @Override
  public int reap(String engineId) {
    Objects.requireNonNull(engineId, "engineId must not be null");
    return reap(ContainerSelector.engine(engineId));
  }

  /**
   * The Pods in the namespace labelled {@code app.kubernetes.io/managed-by=promokit} that the selector
   * matches, by Pod name, with their labels and creation time; Pending and Running ones count as running.
   */
  @Override
  public List<ManagedContainer> list(ContainerSelector selector) {
    Objects.requireNonNull(selector, "selector must not be null");
    return pods(selector).stream()
        .map(pod -> new ManagedContainer(pod.getMetadata().getName(), pod.getMetadata().getLabels(),
            created(pod.getMetadata().getCreationTimestamp()),
            pod.getStatus() == null || !"Succeeded".equals(pod.getStatus().getPhase())
                && !"Failed".equals(pod.getStatus().getPhase())))
        .filter(selector::matches)
        .toList();
  }

  /**
   * Deletes the Pods the selector matches (at once, without grace period) and their Secrets, and Secrets
   * the selector matches whose Pod never came; Pods already being deleted are left to finish and not
   * counted.
   *
   * @return how many Pods it deleted
   */
  @Override
  public int reap(ContainerSelector selector) {
    Objects.requireNonNull(selector, "selector must not be null");
    int deleted = 0;
    for (ManagedContainer found : list(selector)) {
      String name = found.id();
      List<?> details = ctx.api().call("delete Pod " + name + " in namespace " + ctx.namespace(),
          () -> client.pods().inNamespace(ctx.namespace()).withName(name).withGracePeriod(0).delete());
      if (!details.isEmpty()) {
        deleted++;
      }
    }
    String where = " labelled " + describe(selectorLabels(selector)) + " in namespace " + ctx.namespace();
    List<Secret> secrets = ctx.api().call("list Secrets" + where,
        () -> client.secrets().inNamespace(ctx.namespace()).withLabels(selectorLabels(selector)).list().getItems());
    for (Secret secret : secrets) {
      Instant made = created(secret.getMetadata().getCreationTimestamp());
      if (selector.createdBeforeMoment().map(made::isBefore).orElse(true)) {
        String name = secret.getMetadata().getName();
        ctx.api().call("delete Secret " + name + " in namespace " + ctx.namespace(),
            () -> client.secrets().inNamespace(ctx.namespace()).withName(name).delete());
      }
    }
    return deleted;
  }

  /** The Pods the selector's labels select, without those already being deleted. */
  private List<Pod> pods(ContainerSelector selector) {
    Map<String, String> labels = selectorLabels(selector);
    List<Pod> pods = ctx.api().call("list Pods labelled " + describe(labels) + " in namespace " + ctx.namespace(),
        () -> client.pods().inNamespace(ctx.namespace()).withLabels(labels).list().getItems());
    // Being deleted already: its node is stopping it.
    return pods.stream().filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private static Map<String, String> selectorLabels(ContainerSelector selector) {
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    selector.engineId().ifPresent(engine -> labels.put(ContainerLabels.ENGINE, engine));
    labels.put(ContainerLabels.MANAGED_BY, ContainerLabels.MANAGED_BY_VALUE);
    return labels;
  }

  private static String describe(Map<String, String> labels) {
    return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(java.util.stream.Collectors.joining(","));
  }

  private static Instant created(String timestamp) {
    return timestamp == null ? Instant.EPOCH : Instant.parse(timestamp);
  }

  /** Stops the watches and threads, and closes the client when the runtime made it. Pods are left alone. */
  @Override
  public void close() {
    ctx.events().close();
    ctx.scheduler().shutdownNow();
    ctx.logThreads().shutdownNow();
    if (ownedClient != null) {
      ownedClient.close();
    }
  }

  @Override
  public String toString() {
    return "KubernetesContainerRuntime[" + client.getMasterUrl() + ", namespace " + ctx.namespace() + "]";
  }

  private static KubernetesClient withoutClientRetries(KubernetesClient client) {
    RequestConfig config = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
        .withRequestRetryBackoffLimit(0)
        .build();
    return client.newClient(config).adapt(KubernetesClient.class);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
