package io.promokit.runtime.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every handle of one runtime shares.
 *
 * @param client the client (fabric8's own request retries off: {@link ApiCalls} retries)
 * @param logThreads runs the log followers, one blocking thread each
 * @param scheduler grace-period timers and watch restarts
 */
record RuntimeContext(
    KubernetesClient client,
    String namespace,
    KubernetesRuntimeSettings settings,
    ApiCalls api,
    ExecutorService logThreads,
    ScheduledExecutorService scheduler,
    PodEventWatch events) {}
