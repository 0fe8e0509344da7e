package io.promokit.runtime.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.promokit.spi.ContainerRuntimeException;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API objects of one attempt, its Pod and its Secret: creates them (recognising its own objects
 * when a create's answer was lost) and deletes what it created, never someone else's object of the same
 * name.
 */
final class AttemptObjects {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptObjects.class);

  private final KubernetesClient client;
  private final ApiCalls api;
  private final String namespace;
  private final String attemptId;
  private final String podName;
  private final String secretName;
  private volatile boolean podCreated;
  private volatile boolean secretCreated;

  AttemptObjects(RuntimeContext ctx, String attemptId, String podName, String secretName) {
    this.client = ctx.client();
    this.api = ctx.api();
    this.namespace = ctx.namespace();
    this.attemptId = attemptId;
    this.podName = podName;
    this.secretName = secretName;
  }

  /** Creates the Secret (when there is one), then the Pod; returns the Pod as the server made it. */
  Pod create(PodFactory.PodObjects objects) {
    if (objects.secret() != null) {
      Secret secret = objects.secret();
      createOwned("Secret", secretName, () -> client.secrets().inNamespace(namespace).resource(secret).create(),
          () -> client.secrets().inNamespace(namespace).withName(secretName).get());
      secretCreated = true;
    }
    Pod pod = objects.pod();
    Pod created = createOwned("Pod", podName, () -> client.pods().inNamespace(namespace).resource(pod).create(),
        () -> client.pods().inNamespace(namespace).withName(podName).get());
    podCreated = true;
    if (secretCreated) {
      ownSecretByPod(created);
    }
    return created;
  }

  boolean podCreated() {
    return podCreated;
  }

  /**
   * Deletes the Pod with a grace period.
   *
   * @return false when the API refused (logged)
   */
  boolean deletePod(long graceSeconds) {
    try {
      api.callRaw("delete Pod " + podName + " in namespace " + namespace,
          () -> client.pods().inNamespace(namespace).withName(podName).withGracePeriod(graceSeconds).delete());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return true;
      }
      LOG.warn("could not delete Pod {} in namespace {}: {}", podName, namespace, ApiCalls.describe(e));
    } catch (ContainerRuntimeException e) {
      LOG.warn("could not delete Pod {}: {}", podName, e.getMessage());
    }
    return false;
  }

  /** Deletes what this attempt created and is not known to be gone; never throws. */
  void deleteAll(boolean podGone) {
    if (podCreated && !podGone) {
      deletePod(0);
    }
    if (secretCreated) {
      try {
        api.callRaw("delete Secret " + secretName + " in namespace " + namespace,
            () -> client.secrets().inNamespace(namespace).withName(secretName).delete());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          LOG.warn("could not delete Secret {} in namespace {}: {}", secretName, namespace, ApiCalls.describe(e));
        }
      } catch (RuntimeException e) {
        LOG.warn("could not delete Secret {} in namespace {}: {}", secretName, namespace, e.getMessage());
      }
    }
  }

  /**
   * Creates an object. A 409 is fine when the object carries this attempt's id (an earlier try's create
   * went through before the connection dropped); else someone else's object has the name.
   */
  private <T extends HasMetadata> T createOwned(String kind, String name, Supplier<T> create, Supplier<T> get) {
    String what = "create " + kind + " " + name + " in namespace " + namespace;
    try {
      return api.callRaw(what, create);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw ApiCalls.permanent(what, e);
      }
      T existing = api.call("read " + kind + " " + name + " in namespace " + namespace, get);
      Map<String, String> annotations = existing == null ? null : existing.getMetadata().getAnnotations();
      if (annotations != null && attemptId.equals(annotations.get(PodLayout.ATTEMPT_ID_ANNOTATION))) {
        return existing;
      }
      throw ContainerRuntimeException.retryable(kind + " \"" + name + "\" already exists in namespace \"" + namespace
          + "\" and was not made by this attempt (a leftover of an engine that died? reap(engineId) or delete it)", e);
    }
  }

  /** Lets Kubernetes delete the Secret with the Pod, should this host die before it can. Best effort. */
  private void ownSecretByPod(Pod pod) {
    String patch = "{\"metadata\":{\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\""
        + podName + "\",\"uid\":\"" + pod.getMetadata().getUid() + "\"}]}}";
    try {
      api.call("set the owner of Secret " + secretName,
          () -> client.secrets().inNamespace(namespace).withName(secretName)
              .patch(PatchContext.of(PatchType.JSON_MERGE), patch));
    } catch (RuntimeException e) {
      LOG.debug("could not make Pod {} the owner of Secret {}: {}", podName, secretName, e.toString());
    }
  }
}
