package io.promokit.steps.git;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The proxy settings of the host environment that git processes keep (everything else is left out). */
final class ProxyVariables {

  private static final List<String> NAMES =
      List.of("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "all_proxy");

  private ProxyVariables() {}

  static Map<String, String> from(Map<String, String> environment) {
    Map<String, String> proxies = new LinkedHashMap<>();
    for (String name : NAMES) {
      String value = environment.get(name);
      if (value != null && !value.isEmpty()) {
        proxies.put(name, value);
      }
    }
    return Map.copyOf(proxies);
  }
}
