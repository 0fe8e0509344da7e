package io.promokit.steps.oci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Docker token service for a real {@link TestRegistry}: it checks HTTP Basic credentials (or an OAuth2 refresh
 * token, as a Docker config's identity token is used) and issues RS256 JWTs that distribution verifies against
 * the certificate this server made with keytool. Authenticated clients get every action they ask for; anonymous
 * ones get none. It records each token request (scopes, how the client authenticated) for the tests.
 */
final class TokenServer implements AutoCloseable {

  static final String SERVICE = "promokit-test-registry";
  static final String ISSUER = "promokit-test-issuer";

  /** One token request as received. */
  record Grant(String method, List<String> scopes, String authenticatedAs) {}

  private final HttpServer server;
  private final PrivateKey key;
  private final String certificateDer;
  private final Path certificateFile;
  private final String user;
  private final String password;
  private final String refreshToken;
  final List<Grant> grants = new CopyOnWriteArrayList<>();

  private TokenServer(Path folder, String user, String password, String refreshToken) throws Exception {
    this.user = user;
    this.password = password;
    this.refreshToken = refreshToken;
    Path store = folder.resolve("token-key.p12");
    run("keytool", "-genkeypair", "-alias", "token", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=promokit-token", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", "changeit", "-keypass", "changeit");
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      keyStore.load(in, "changeit".toCharArray());
    }
    key = (PrivateKey) keyStore.getKey("token", "changeit".toCharArray());
    Certificate certificate = keyStore.getCertificate("token");
    certificateDer = Base64.getEncoder().encodeToString(certificate.getEncoded());
    certificateFile = folder.resolve("token-cert.pem");
    Files.writeString(certificateFile, "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::token);
    server.start();
  }

  static TokenServer start(Path folder, String user, String password, String refreshToken) throws Exception {
    Files.createDirectories(folder);
    return new TokenServer(folder, user, password, refreshToken);
  }

  String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  Path certificateFile() {
    return certificateFile;
  }

  /** A token for the fixture: pull and push on the repository. */
  String bearerFor(String repository) {
    return "Bearer " + jwt(List.of("repository:" + repository + ":pull,push"));
  }

  private void token(HttpExchange exchange) throws IOException {
    try (exchange) {
      List<String> scopes = new ArrayList<>();
      String who = null;
      if (exchange.getRequestMethod().equals("POST")) {
        Map<String, List<String>> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if ("refresh_token".equals(first(form, "grant_type")) && refreshToken.equals(first(form, "refresh_token"))) {
          who = "refresh-token";
        }
        String scope = first(form, "scope");
        if (scope != null && !scope.isBlank()) {
          scopes.addAll(List.of(scope.split(" ")));
        }
      } else {
        Map<String, List<String>> query = form(exchange.getRequestURI().getRawQuery());
        scopes.addAll(query.getOrDefault("scope", List.of()));
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.startsWith("Basic ")) {
          String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
          if (decoded.equals(user + ":" + password)) {
            who = user;
          } else {
            grants.add(new Grant(exchange.getRequestMethod(), scopes, "wrong password"));
            byte[] body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            return;
          }
        }
      }
      grants.add(new Grant(exchange.getRequestMethod(), List.copyOf(scopes), who));
      String token = jwt(who == null ? List.of() : scopes);
      byte[] body = ("{\"token\":\"" + token + "\",\"access_token\":\"" + token + "\",\"expires_in\":300}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private String jwt(List<String> scopes) {
    ObjectNode header = Manifest.JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
    header.putArray("x5c").add(certificateDer);
    long now = Instant.now().getEpochSecond();
    ObjectNode claims = Manifest.JSON.createObjectNode().put("iss", ISSUER).put("sub", user).put("aud", SERVICE)
        .put("exp", now + 300).put("nbf", now - 10).put("iat", now).put("jti", UUID.randomUUID().toString());
    ArrayNode access = claims.putArray("access");
    for (String scope : scopes) {
      String[] parts = scope.split(":");
      if (parts.length == 3) {
        ObjectNode entry = access.addObject().put("type", parts[0]).put("name", parts[1]);
        ArrayNode actions = entry.putArray("actions");
        for (String action : parts[2].split(",")) {
          actions.add(action);
        }
      }
    }
    try {
      Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
      String signingInput = url.encodeToString(Manifest.JSON.writeValueAsBytes(header)) + "."
          + url.encodeToString(Manifest.JSON.writeValueAsBytes(claims));
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + url.encodeToString(signature.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, List<String>> form(String text) {
    Map<String, List<String>> values = new java.util.HashMap<>();
    if (text == null || text.isEmpty()) {
      return values;
    }
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return values;
  }

  private static String first(Map<String, List<String>> values, String name) {
    List<String> list = values.get(name);
    return list == null || list.isEmpty() ? null : list.get(0);
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
