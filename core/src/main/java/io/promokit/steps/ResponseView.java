package io.promokit.steps;

import io.promokit.StepException;
import io.promokit.steps.kit.DocumentSyntaxException;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the {@code http} step's expressions see as {@code response}: {@code status} (a number), {@code headers}
 * (name → list of values, names in Go's canonical form such as {@code Content-Type}), {@code header(name)}
 * (the first value, any case, or "") and {@code body}: JSON for {@code application/json} (and {@code +json}),
 * YAML for {@code application/yaml}, {@code text/yaml} and {@code application/x-yaml}, the text for
 * {@code text/plain}; any other type is read as JSON when it is JSON and is an empty map otherwise, as is an
 * empty body (Kargo's rules). {@code responseContentType} overrides the response's type.
 */
final class ResponseView {

  private ResponseView() {}

  static Map<String, Object> of(HttpResponse<byte[]> response, String contentTypeOverride) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    response.headers().map().forEach((name, values) -> {
      if (!name.startsWith(":")) {
        headers.computeIfAbsent(canonical(name), k -> new ArrayList<>()).addAll(values);
      }
    });
    String contentType = contentTypeOverride != null ? contentTypeOverride
        : response.headers().firstValue("Content-Type").orElse("");
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("status", (long) response.statusCode());
    view.put("headers", headers);
    view.put("header", HttpStep.headerFunction(headers));
    view.put("body", body(response.body(), contentType));
    return view;
  }

  private static Object body(byte[] bytes, String contentType) {
    if (bytes.length == 0) {
      return new LinkedHashMap<>();
    }
    String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    String text = new String(bytes, charset(contentType));
    switch (mediaType) {
      case "text/plain":
        return text;
      case "application/yaml", "text/yaml", "application/x-yaml", "text/x-yaml":
        return parse(DocumentFormat.YAML, text, mediaType);
      default:
        if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
          return parse(DocumentFormat.JSON, text, mediaType);
        }
        try {
          return DocumentFormat.JSON.read(text);
        } catch (DocumentSyntaxException e) {
          return new LinkedHashMap<>();
        }
    }
  }

  private static Object parse(DocumentFormat format, String text, String mediaType) {
    try {
      return format.read(text);
    } catch (DocumentSyntaxException e) {
      throw new StepException("the response body (" + mediaType + ") " + e.getMessage(), e);
    }
  }

  private static Charset charset(String contentType) {
    for (String parameter : contentType.split(";")) {
      String[] pair = parameter.strip().split("=", 2);
      if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("charset")) {
        try {
          return Charset.forName(pair[1].strip().replace("\"", ""));
        } catch (IllegalArgumentException e) {
          return StandardCharsets.UTF_8;
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  /** {@code content-type} → {@code Content-Type}, as Go's {@code http.CanonicalHeaderKey}. */
  static String canonical(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    boolean upper = true;
    for (char c : name.toCharArray()) {
      sb.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      upper = c == '-';
    }
    return sb.toString();
  }
}
