package io.promokit.testkit.gitops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD dispatcher, made to answer as a real API server does where the steps depend on it: a JSON merge
 * patch is applied as RFC 7386 says (lists replaced, {@code null} removes a key; the mock itself appends to lists
 * and keeps nulls), a patch carrying a stale {@code metadata.resourceVersion} is refused with 409, a 404 carries
 * the Status a real server gives (naming the object, or the missing resource type when Argo CD is "not
 * installed"). Writes are serialised, so a merge patch is checked and applied against one version of the object.
 * Faults and interleaved writes can be injected before a request is handled.
 */
final class ArgoCdApiDispatcher extends KubernetesCrudDispatcher {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern OBJECT_PATH = Pattern.compile(
      "/apis?/(?:([^/]+)/)?v[^/]+/namespaces/([^/]+)/([^/]+)/([^/?]+)(?:\\?.*)?");
  private static final Pattern ARGOCD_PATH = Pattern.compile("/apis/argoproj\\.io/.*");

  private final Object writes = new Object();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final List<Interleaved> interleaved = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile boolean argoCdInstalled = true;

  /** One injected answer. */
  private static final class Fault {
    final String method;
    final Pattern path;
    final int status;
    final String message;
    int remaining;

    Fault(String method, Pattern path, int remaining, int status, String message) {
      this.method = method;
      this.path = path;
      this.remaining = remaining;
      this.status = status;
      this.message = message;
    }
  }

  /** A write by someone else, made just before the next matching request is handled. */
  private record Interleaved(String method, Pattern path, String objectPath, UnaryOperator<Map<String, Object>> change) {}

  void failNext(String method, String pathRegex, int times, int status, String message) {
    faults.add(new Fault(method, Pattern.compile(pathRegex), times, status, message));
  }

  void beforeNext(String method, String pathRegex, String objectPath, UnaryOperator<Map<String, Object>> change) {
    interleaved.add(new Interleaved(method, Pattern.compile(pathRegex), objectPath, change));
  }

  void argoCdInstalled(boolean installed) {
    this.argoCdInstalled = installed;
  }

  List<String> requests() {
    return List.copyOf(requests);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String method = request.getMethod();
    String path = request.getPath();
    requests.add(method + " " + path);
    Fault fault = takeFault(method, path);
    if (fault != null) {
      return status(fault.status, reason(fault.status), fault.message, null);
    }
    if (!argoCdInstalled && ARGOCD_PATH.matcher(path).matches()) {
      return status(404, "NotFound", "the server could not find the requested resource", null);
    }
    for (Interleaved write : interleaved) {
      if (write.method().equals(method) && write.path().matcher(path).find() && interleaved.remove(write)) {
        writeAsAnotherClient(write.objectPath(), write.change());
        break; // one write per request
      }
    }
    MockResponse response = super.dispatch(request);
    return response != null && response.code() == 404 && bodyOf(response).isEmpty() ? notFound(path) : response;
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    synchronized (writes) {
      return super.handleCreate(request);
    }
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    synchronized (writes) {
      return super.handleUpdate(request);
    }
  }

  @Override
  public MockResponse handleDelete(String path) {
    synchronized (writes) {
      return super.handleDelete(path);
    }
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    String body = new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    String contentType = request.getHeader("Content-Type");
    synchronized (writes) {
      if (contentType == null || !contentType.contains("merge-patch")) {
        return super.handlePatch(copy(request, contentType, body));
      }
      return mergePatch(request.getPath(), body);
    }
  }

  /** Applies an RFC 7386 patch: checked against the current object, then stored as one JSON Patch replace. */
  private MockResponse mergePatch(String path, String body) {
    MockResponse current = handleGet(path);
    if (current.code() != 200) {
      return current.code() == 404 ? notFound(path) : current;
    }
    try {
      JsonNode stored = JSON.readTree(bodyOf(current));
      JsonNode patch = JSON.readTree(body);
      String expected = patch.path("metadata").path("resourceVersion").asText("");
      String actual = stored.path("metadata").path("resourceVersion").asText("");
      if (!expected.isEmpty() && !expected.equals(actual)) {
        Matcher m = OBJECT_PATH.matcher(path);
        String name = m.matches() ? m.group(3) + "." + (m.group(1) == null ? "" : m.group(1)) + " \"" + m.group(4) + "\""
            : path;
        return status(409, "Conflict", "Operation cannot be fulfilled on " + name
            + ": the object has been modified; please apply your changes to the latest version and try again", null);
      }
      return replaceWhole(path, apply(stored, patch), actual);
    } catch (JsonProcessingException e) {
      return status(400, "BadRequest", "the patch is not JSON: " + e.getOriginalMessage(), null);
    }
  }

  /** RFC 7386: objects merged key by key, {@code null} removes, anything else replaces. */
  static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : JSON.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), apply(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  /** Another client's write of the object at {@code objectPath} (a change giving null deletes it). */
  @SuppressWarnings("unchecked")
  private void writeAsAnotherClient(String objectPath, UnaryOperator<Map<String, Object>> change) {
    synchronized (writes) {
      MockResponse current = handleGet(objectPath);
      if (current.code() != 200) {
        return;
      }
      try {
        Map<String, Object> before = JSON.readValue(bodyOf(current), Map.class);
        Map<String, Object> after = change.apply(JSON.readValue(bodyOf(current), Map.class));
        if (after == null) {
          super.handleDelete(objectPath);
          return;
        }
        replaceWhole(objectPath, JSON.valueToTree(after),
            String.valueOf(((Map<String, Object>) before.get("metadata")).get("resourceVersion")));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write " + objectPath + ": " + e.getOriginalMessage(), e);
      }
    }
  }

  /**
   * Stores the object whole through the mock's own patch handling (one JSON Patch replace of the root), which
   * bumps the resourceVersion and tells watchers; {@code version} is the one it replaces.
   */
  private MockResponse replaceWhole(String path, JsonNode object, String version) throws JsonProcessingException {
    ((ObjectNode) object.path("metadata")).put("resourceVersion", version);
    ArrayNode replace = JSON.createArrayNode();
    replace.addObject().put("op", "replace").put("path", "").set("value", object);
    return super.handlePatch(copy(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, path, Headers.builder().build(),
        new Buffer()), "application/json-patch+json", JSON.writeValueAsString(replace)));
  }

  private static RecordedRequest copy(RecordedRequest request, String contentType, String body) {
    Headers.Builder headers = Headers.builder();
    if (contentType != null) {
      headers.add("Content-Type", contentType);
    }
    return new RecordedRequest("HTTP/1.1", request.method(), request.getPath(), headers.build(),
        new Buffer(body.getBytes(StandardCharsets.UTF_8)));
  }

  private Fault takeFault(String method, String path) {
    for (Fault f : faults) {
      synchronized (f) {
        if (f.remaining > 0 && f.method.equals(method) && f.path.matcher(path).find()) {
          f.remaining--;
          return f;
        }
      }
    }
    return null;
  }

  /** The 404 a real API server gives for a missing object: its Status names it. */
  private static MockResponse notFound(String path) {
    Matcher m = OBJECT_PATH.matcher(path);
    if (!m.matches()) {
      return status(404, "NotFound", "the server could not find the requested resource", null);
    }
    String group = m.group(1) == null ? "" : m.group(1);
    return status(404, "NotFound", m.group(3) + (group.isEmpty() ? "" : "." + group) + " \"" + m.group(4)
        + "\" not found", Map.of("name", m.group(4), "group", group, "kind", m.group(3)));
  }

  static MockResponse status(int code, String reason, String message, Map<String, String> details) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status").put("apiVersion", "v1").putObject("metadata");
    status.put("status", "Failure").put("message", message).put("reason", reason);
    if (details != null) {
      ObjectNode d = status.putObject("details");
      details.forEach(d::put);
    }
    status.put("code", code);
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setBody(status.toString());
  }

  private static String bodyOf(MockResponse response) {
    return response.getBody() == null ? "" : new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
  }

  private static String reason(int status) {
    return switch (status) {
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 409 -> "Conflict";
      case 422 -> "Invalid";
      case 429 -> "TooManyRequests";
      case 500 -> "InternalError";
      case 503 -> "ServiceUnavailable";
      default -> "Failure";
    };
  }
}
