package io.promokit.testkit.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One provider's REST dialect in a {@link GitProviderFake}: which paths are its API, how it reads a token, what
 * its errors look like, and its answers, computed from the shared {@link FakeHosting} state. Called under the
 * fake's lock.
 */
interface FakeApi {

  ObjectMapper JSON = new ObjectMapper();

  /** Whether a request path belongs to the API (else it is git's smart HTTP). */
  boolean owns(String rawPath);

  /** Whether the request carries the fake's token the way this provider reads it. */
  boolean authorized(ApiCall call, String token);

  /** The provider's answer to a missing or wrong token. */
  ApiReply unauthorized();

  /** The provider's error shape with a message. */
  ApiReply error(int status, String message);

  /** Whether the request asks to merge a pull request. */
  boolean isMerge(ApiCall call);

  /** Answers a request. */
  ApiReply handle(ApiCall call);

  /** A request as a provider API sees it. */
  record ApiCall(String method, String rawPath, List<String> segments, Map<String, List<String>> query,
      Headers headers, JsonNode body, String origin) {

    /** The first value of a query parameter, or null. */
    String param(String name) {
      List<String> values = query.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of a query parameter. */
    List<String> params(String name) {
      return query.getOrDefault(name, List.of());
    }

    /** An integer query parameter, or the default when absent. */
    int intParam(String name, int defaultValue) {
      String value = param(name);
      if (value == null || value.isBlank()) {
        return defaultValue;
      }
      try {
        return Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        throw new ApiError(null, 400, name + " must be a number, but was \"" + value + "\"");
      }
    }

    /** A header's first value, or null. */
    String header(String name) {
      return headers.getFirst(name);
    }

    /** Whether the path, split at {@code /} after the API prefix, matches; {@code *} matches any one segment. */
    boolean is(String method, String... pattern) {
      if (!this.method.equals(method) || segments.size() != pattern.length) {
        return false;
      }
      for (int i = 0; i < pattern.length; i++) {
        if (!pattern[i].equals("*") && !pattern[i].equals(segments.get(i))) {
          return false;
        }
      }
      return true;
    }

    /** The segment at an index. */
    String segment(int index) {
      return segments.get(index);
    }

    /** The segment at an index as a pull request number. */
    long number(int index) {
      try {
        return Long.parseLong(segments.get(index));
      } catch (NumberFormatException e) {
        throw new ApiError(null, 404, "Not Found");
      }
    }

    /** The query string with a parameter replaced (for the next page's link). */
    String withParam(String name, String value) {
      Map<String, List<String>> next = new LinkedHashMap<>(query);
      next.put(name, List.of(value));
      StringBuilder sb = new StringBuilder();
      next.forEach((key, values) -> values.forEach(v -> sb.append(sb.length() == 0 ? "?" : "&")
          .append(encode(key)).append('=').append(encode(v))));
      return origin + rawPath + sb;
    }

    static Map<String, List<String>> parseQuery(String rawQuery) {
      Map<String, List<String>> query = new LinkedHashMap<>();
      if (rawQuery == null || rawQuery.isEmpty()) {
        return query;
      }
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      }
      return query;
    }

    private static String encode(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
  }

  /** An answer: status, extra headers, JSON body (or none). */
  record ApiReply(int status, Map<String, String> headers, JsonNode body) {

    static ApiReply json(int status, JsonNode body) {
      return new ApiReply(status, Map.of(), body);
    }

    static ApiReply empty(int status) {
      return new ApiReply(status, Map.of(), null);
    }

    ApiReply withHeader(String name, String value) {
      Map<String, String> next = new LinkedHashMap<>(headers);
      next.put(name, value);
      return new ApiReply(status, next, body);
    }
  }

  /** Ends a request with an error answer (built by the dialect when {@code reply} is null). */
  final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient ApiReply reply;
    final int status;

    ApiError(ApiReply reply, int status, String message) {
      super(message);
      this.reply = reply;
      this.status = status;
    }

    /** An error in the dialect's shape. */
    static ApiError of(int status, String message) {
      return new ApiError(null, status, message);
    }

    /** An error with a body of its own. */
    static ApiError of(ApiReply reply) {
      return new ApiError(reply, reply.status(), "");
    }
  }

  /** One page of a list: its items, and whether more follow. */
  record Page<T>(List<T> items, boolean more) {

    /** The 1-based {@code page} of {@code size} items. */
    static <T> Page<T> of(List<T> all, int page, int size) {
      int from = Math.max(0, (page - 1) * size);
      int to = Math.min(all.size(), from + size);
      return new Page<>(from >= all.size() ? List.of() : List.copyOf(all.subList(from, to)), to < all.size());
    }
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** A required text field of a JSON body. */
  static String requireText(JsonNode body, String field) {
    JsonNode node = body == null ? null : body.get(field);
    if (node == null || !node.isTextual() || node.asText().isEmpty()) {
      throw ApiError.of(422, field + " is missing");
    }
    return node.asText();
  }
}
