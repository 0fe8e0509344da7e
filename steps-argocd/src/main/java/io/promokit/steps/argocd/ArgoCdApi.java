package io.promokit.steps.argocd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.promokit.StepException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Argo CD API the steps use: {@code Application}s of {@code argoproj.io/v1alpha1} (get, list by labels, JSON
 * merge patch) and core {@code Event}s, every call through {@link ApiCalls}. The resource is named explicitly, so
 * no API discovery is needed.
 */
final class ArgoCdApi {

  static final ResourceDefinitionContext APPLICATIONS = new ResourceDefinitionContext.Builder()
      .withGroup("argoproj.io")
      .withVersion("v1alpha1")
      .withKind("Application")
      .withPlural("applications")
      .withNamespaced(true)
      .build();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final KubernetesClient client;
  private final ApiCalls calls;

  ArgoCdApi(KubernetesClient client, ApiCalls calls) {
    this.client = client;
    this.calls = calls;
  }

  /**
   * The Application, or empty when it does not exist.
   *
   * @throws StepException when the API fails, or serves no Applications at all (Argo CD not installed)
   */
  Optional<Application> get(String namespace, String name) {
    String what = "get Argo CD Application \"" + name + "\" in namespace \"" + namespace + "\"";
    GenericKubernetesResource found = calls.call(what, namespace,
        () -> client.genericKubernetesResources(APPLICATIONS).inNamespace(namespace).withName(name).get());
    if (found == null) {
      // The client answers null for any 404: make sure it was the Application that is missing, not its kind.
      list(namespace, null);
      return Optional.empty();
    }
    return Optional.of(toApplication(found));
  }

  /**
   * The Applications of the namespace that match the selector (every one with a null selector), in the API's
   * order.
   */
  List<Application> list(String namespace, LabelSelector selector) {
    String what = "list Argo CD Applications in namespace \"" + namespace + "\"";
    List<GenericKubernetesResource> items = calls.call(what, namespace, () -> {
      var apps = client.genericKubernetesResources(APPLICATIONS).inNamespace(namespace);
      return (selector == null ? apps.list() : apps.withLabelSelector(selector).list()).getItems();
    });
    return items.stream().map(ArgoCdApi::toApplication).toList();
  }

  /** Lists at most one Application of the namespace: proof of access. */
  void verify(String namespace) {
    calls.call("list Argo CD Applications in namespace \"" + namespace + "\"", namespace,
        () -> client.genericKubernetesResources(APPLICATIONS).inNamespace(namespace)
            .list(new ListOptionsBuilder().withLimit(1L).build()));
  }

  /**
   * Applies a JSON merge patch (RFC 7386) to the Application.
   *
   * @throws KubernetesClientException a permanent error, untranslated: a 409 Conflict when the patch carries a
   *     resourceVersion that is no longer current
   * @throws StepException when transient failures outlast the tries
   */
  void patchRaw(Application app, Map<String, Object> patch) {
    String body = json(patch);
    // Given the object read, the client sends the patch alone (by name it would first GET the object again).
    GenericKubernetesResource target = JSON.convertValue(app.json(), GenericKubernetesResource.class);
    calls.callRaw(patchWhat(app), () -> client.genericKubernetesResources(APPLICATIONS)
        .inNamespace(app.namespace()).resource(target)
        .patch(PatchContext.of(PatchType.JSON_MERGE), body));
  }

  /** As {@link #patchRaw} with every error translated. */
  void patch(Application app, Map<String, Object> patch) {
    try {
      patchRaw(app, patch);
    } catch (KubernetesClientException e) {
      throw ApiCalls.permanent(patchWhat(app), app.namespace(), e);
    }
  }

  /** Creates the Event. */
  void createEvent(Event event) {
    String namespace = event.getMetadata().getNamespace();
    calls.call("create Event \"" + event.getMetadata().getName() + "\" in namespace \"" + namespace + "\"", namespace,
        () -> client.v1().events().inNamespace(namespace).resource(event).create());
  }

  static String patchWhat(Application app) {
    return "patch Argo CD Application \"" + app.name() + "\" in namespace \"" + app.namespace() + "\"";
  }

  private static Application toApplication(GenericKubernetesResource resource) {
    return new Application(JSON.convertValue(resource, MAP));
  }

  private static String json(Map<String, Object> value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a patch as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
