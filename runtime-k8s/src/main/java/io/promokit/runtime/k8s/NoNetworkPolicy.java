package io.promokit.runtime.k8s;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.promokit.spi.ContainerLabels;
import java.util.List;
import java.util.Map;

/**
 * Cuts step Pods off the network when their definition says {@code network: none}. Kubernetes has no such
 * Pod setting: the namespace gets one NetworkPolicy, {@value PodLayout#NO_NETWORK_POLICY}, that selects
 * Pods labelled {@value PodLayout#NETWORK_LABEL}={@value PodLayout#NETWORK_NONE} and allows them no
 * ingress and no egress. It is made (or checked) before each such Pod, never deleted (it selects nothing
 * once no such Pod runs), and enforced by the cluster's network plugin (one that implements
 * NetworkPolicies: Calico, Cilium, ...).
 */
final class NoNetworkPolicy {

  private final RuntimeContext ctx;

  NoNetworkPolicy(RuntimeContext ctx) {
    this.ctx = ctx;
  }

  /** The policy as the runtime makes it. */
  static NetworkPolicy policy(String namespace) {
    return new NetworkPolicyBuilder()
        .withNewMetadata().withName(PodLayout.NO_NETWORK_POLICY).withNamespace(namespace)
        .withLabels(Map.of(ContainerLabels.MANAGED_BY, ContainerLabels.MANAGED_BY_VALUE)).endMetadata()
        .withNewSpec()
        .withNewPodSelector().withMatchLabels(Map.of(PodLayout.NETWORK_LABEL, PodLayout.NETWORK_NONE)).endPodSelector()
        .withPolicyTypes(List.of("Ingress", "Egress"))
        .endSpec()
        .build();
  }

  /**
   * Makes sure the namespace has the policy.
   *
   * @throws io.promokit.spi.ContainerRuntimeException terminal when Kubernetes refuses (no permission),
   *     naming what a step with {@code network: none} needs
   */
  void ensure() {
    String namespace = ctx.namespace();
    String what = "read NetworkPolicy " + PodLayout.NO_NETWORK_POLICY + " in namespace " + namespace
        + " (steps with network: none need it)";
    NetworkPolicy existing = ctx.api().call(what, () -> ctx.client().network().v1().networkPolicies()
        .inNamespace(namespace).withName(PodLayout.NO_NETWORK_POLICY).get());
    if (existing != null) {
      return;
    }
    String create = "create NetworkPolicy " + PodLayout.NO_NETWORK_POLICY + " in namespace " + namespace
        + " (steps with network: none need it)";
    try {
      ctx.api().callRaw(create, () -> ctx.client().network().v1().networkPolicies().inNamespace(namespace)
          .resource(policy(namespace)).create());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) { // made meanwhile by another runtime: fine
        throw ApiCalls.permanent(create, e);
      }
    }
  }
}
