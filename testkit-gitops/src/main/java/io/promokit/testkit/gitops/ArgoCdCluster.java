package io.promokit.testkit.gitops;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * An Argo CD for tests: fabric8's mock Kubernetes API server (CRUD mode, real HTTP on 127.0.0.1) serving
 * {@code argoproj.io/v1alpha1} {@code Application}s as a real API server does (see {@link ArgoCdApiDispatcher}),
 * and a {@link FakeArgoCdController} that syncs them as Argo CD's Application controller does. The namespace
 * {@value #NAMESPACE} exists.
 *
 * <pre>{@code
 * try (ArgoCdCluster argocd = ArgoCdCluster.start()) {
 *   argocd.create(ArgoCdApplication.named("shop").repoURL(url).path("env/prod").targetRevision("stage/prod")
 *       .authorizedStage("shop:prod"));
 *   KubernetesClient client = argocd.client();      // for the code under test
 *   argocd.controller().reconcile("argocd", "shop"); // one pass of Argo CD, or controller().start(interval)
 * }
 * }</pre>
 */
public final class ArgoCdCluster implements AutoCloseable {

  /** The namespace Argo CD and its Applications live in. */
  public static final String NAMESPACE = "argocd";

  /** The Application resource. */
  public static final ResourceDefinitionContext APPLICATIONS = new ResourceDefinitionContext.Builder()
      .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Application").withPlural("applications")
      .withNamespaced(true).build();

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ArgoCdApiDispatcher dispatcher = new ArgoCdApiDispatcher();
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final KubernetesClient direct;
  private final FakeArgoCdController controller;

  private ArgoCdCluster(Clock clock) {
    dispatcher.expectCustomResource(new CustomResourceDefinitionContext.Builder()
        .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Application").withPlural("applications")
        .withScope("Namespaced").build());
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = new KubernetesClientBuilder().withConfig(config()).build();
    direct = new KubernetesClientBuilder().withConfig(config()).build();
    direct.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    controller = new FakeArgoCdController(direct, clock);
  }

  /** Starts the server; time in the Applications' status comes from the system clock. */
  public static ArgoCdCluster start() {
    return start(Clock.systemUTC());
  }

  /** Starts the server with the controller on the given clock. */
  public static ArgoCdCluster start(Clock clock) {
    return new ArgoCdCluster(clock);
  }

  /** The API server's address, {@code http://127.0.0.1:<port>/}. */
  public String url() {
    return server.url("/");
  }

  /** A client for the code under test (its own request retries off, so injected faults are seen as they are). */
  public KubernetesClient client() {
    return client;
  }

  /** Argo CD's Application controller. */
  public FakeArgoCdController controller() {
    return controller;
  }

  /**
   * Writes a kubeconfig file for this server (context {@code argocd-test}, namespace {@value #NAMESPACE}, no
   * credentials), as a user's kubeconfig for their cluster.
   */
  public Path writeKubeconfig(Path file) {
    String text = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: argocd-test
          cluster:
            server: %s
        users:
        - name: argocd-test
          user: {}
        contexts:
        - name: argocd-test
          context:
            cluster: argocd-test
            user: argocd-test
            namespace: %s
        current-context: argocd-test
        """.formatted(url().replaceAll("/$", ""), NAMESPACE);
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Creates the Application. */
  public Map<String, Object> create(ArgoCdApplication application) {
    return create(application.toMap());
  }

  /** Creates an Application from its manifest (JSON-like maps). */
  public Map<String, Object> create(Map<String, Object> manifest) {
    GenericKubernetesResource resource = JSON.convertValue(manifest, GenericKubernetesResource.class);
    String namespace = resource.getMetadata().getNamespace() == null ? NAMESPACE : resource.getMetadata().getNamespace();
    return toMap(direct.genericKubernetesResources(APPLICATIONS).inNamespace(namespace).resource(resource).create());
  }

  /** The Application as stored, if it exists. */
  public Optional<Map<String, Object>> application(String namespace, String name) {
    return Optional.ofNullable(direct.genericKubernetesResources(APPLICATIONS).inNamespace(namespace).withName(name)
        .get()).map(ArgoCdCluster::toMap);
  }

  /** The Application in {@value #NAMESPACE}, which must exist. */
  public Map<String, Object> application(String name) {
    return application(NAMESPACE, name).orElseThrow(() -> new AssertionError("no Application " + name));
  }

  /**
   * Changes a stored Application as another client would (a user, Argo CD): the change gets the current object and
   * returns the new one, written with the version it read (tried again when that changed meanwhile).
   */
  public Map<String, Object> update(String namespace, String name, UnaryOperator<Map<String, Object>> change) {
    return FakeArgoCdController.replace(direct, namespace, name, change);
  }

  /** As {@link #update(String, String, UnaryOperator)} in {@value #NAMESPACE}. */
  public Map<String, Object> update(String name, UnaryOperator<Map<String, Object>> change) {
    return update(NAMESPACE, name, change);
  }

  /** Deletes the Application. */
  public void delete(String namespace, String name) {
    direct.genericKubernetesResources(APPLICATIONS).inNamespace(namespace).withName(name).delete();
  }

  /** The Events recorded in a namespace. */
  public List<Event> events(String namespace) {
    return direct.v1().events().inNamespace(namespace).list().getItems();
  }

  /**
   * The next {@code times} requests with this method and a path matching the regex are answered with this HTTP
   * status and a Kubernetes Status carrying the message, without reaching the stored objects.
   */
  public void failNext(String method, String pathRegex, int times, int status, String message) {
    dispatcher.failNext(method, pathRegex, times, status, message);
  }

  /**
   * Just before the next request with this method to the Application is handled, another client changes it: a real
   * race, so a write based on what was read before gets a 409 Conflict. A change that returns null deletes it.
   */
  public void changeBeforeNext(String method, String namespace, String name, UnaryOperator<Map<String, Object>> change) {
    String path = objectPath(namespace, name);
    dispatcher.beforeNext(method, Pattern.quote(path), path, change);
  }

  /** Whether the server serves Applications at all (false: Argo CD is "not installed", every request 404). */
  public void argoCdInstalled(boolean installed) {
    dispatcher.argoCdInstalled(installed);
  }

  /** Every request seen, as {@code METHOD path}. */
  public List<String> requests() {
    return dispatcher.requests();
  }

  /** How many requests had this method and a path matching the regex. */
  public long count(String method, String pathRegex) {
    Pattern p = Pattern.compile(pathRegex);
    return dispatcher.requests().stream()
        .filter(r -> r.startsWith(method + " ") && p.matcher(r.substring(method.length() + 1)).find()).count();
  }

  /** The API path of an Application. */
  public static String objectPath(String namespace, String name) {
    return "/apis/argoproj.io/v1alpha1/namespaces/" + namespace + "/applications/" + name;
  }

  @Override
  public void close() {
    controller.close();
    client.close();
    direct.close();
    server.destroy();
  }

  private Config config() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withNamespace(NAMESPACE)
        .withRequestRetryBackoffLimit(0)
        .build();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> toMap(GenericKubernetesResource resource) {
    return JSON.convertValue(resource, LinkedHashMap.class);
  }
}
