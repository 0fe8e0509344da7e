package io.promokit.steps.oci;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Puts test content into a registry with plain Distribution API calls (independent of the code under test):
 * blobs, image manifests, indexes; and reads manifests back byte for byte.
 */
final class RegistryFixture {

  /** A pushed image. */
  record Image(String repository, String digest, int size, String configDigest, List<String> layerDigests,
      byte[] manifest) {}

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;
  private final Function<String, String> authorization;

  /**
   * @param authorization the {@code Authorization} header for a repository (push and pull), or null for none
   */
  RegistryFixture(String host, Function<String, String> authorization) {
    this.base = "http://" + host;
    this.authorization = authorization;
  }

  RegistryFixture(String host) {
    this(host, repository -> null);
  }

  String blob(String repository, byte[] content) throws IOException, InterruptedException {
    String digest = Manifest.sha256(content);
    HttpResponse<String> opened = send(repository, HttpRequest.newBuilder(URI.create(base + "/v2/" + repository
        + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()));
    check(opened, 202);
    String location = URI.create(base).resolve(opened.headers().firstValue("Location").orElseThrow()).toString();
    HttpResponse<String> put = send(repository, HttpRequest.newBuilder(URI.create(location
        + (location.contains("?") ? "&" : "?") + "digest=" + digest))
        .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
    check(put, 201);
    return digest;
  }

  String manifest(String repository, String reference, String mediaType, byte[] manifest)
      throws IOException, InterruptedException {
    HttpResponse<String> put = send(repository, HttpRequest.newBuilder(URI.create(base + "/v2/" + repository
        + "/manifests/" + reference)).header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
    check(put, 201);
    return Manifest.sha256(manifest);
  }

  /** An OCI image with one config and the given layers (all of {@code layerType}), tagged. */
  Image image(String repository, String tag, String layerType, byte[]... layers) throws IOException, InterruptedException {
    return image(repository, tag, "", layerType, layers);
  }

  /** As {@link #image}, with extra top-level JSON members ({@code ,"annotations":{...}}) in the manifest. */
  Image image(String repository, String tag, String extra, String layerType, byte[]... layers)
      throws IOException, InterruptedException {
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"tag\":\"" + tag + "\"}").getBytes(StandardCharsets.UTF_8);
    String configDigest = blob(repository, config);
    List<String> digests = new ArrayList<>();
    StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_MANIFEST
        + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
        + "\",\"size\":" + config.length + "},\"layers\":[");
    for (int i = 0; i < layers.length; i++) {
      String digest = blob(repository, layers[i]);
      digests.add(digest);
      json.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(layerType).append("\",\"digest\":\"")
          .append(digest).append("\",\"size\":").append(layers[i].length).append("}");
    }
    json.append("]").append(extra).append("}");
    byte[] manifest = json.toString().getBytes(StandardCharsets.UTF_8);
    String digest = manifest(repository, tag, Manifest.OCI_MANIFEST, manifest);
    return new Image(repository, digest, manifest.length, configDigest, digests, manifest);
  }

  /** An OCI index of images (each given a platform {@code linux/<arch>}), tagged. */
  String index(String repository, String tag, List<String> architectures, List<Image> images)
      throws IOException, InterruptedException {
    StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_INDEX
        + "\",\"manifests\":[");
    for (int i = 0; i < images.size(); i++) {
      Image image = images.get(i);
      json.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(Manifest.OCI_MANIFEST)
          .append("\",\"digest\":\"").append(image.digest()).append("\",\"size\":").append(image.size())
          .append(",\"platform\":{\"architecture\":\"").append(architectures.get(i)).append("\",\"os\":\"linux\"}}");
    }
    json.append("],\"annotations\":{\"org.example.kept\":\"yes\"}}");
    return manifest(repository, tag, Manifest.OCI_INDEX, json.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A manifest's bytes as stored, or null when there is none. */
  byte[] manifestBytes(String repository, String reference) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(authorize(repository, HttpRequest.newBuilder(URI.create(base + "/v2/"
        + repository + "/manifests/" + reference)).header("Accept", Manifest.ACCEPT)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return response.statusCode() == 200 ? response.body() : null;
  }

  boolean hasBlob(String repository, String digest) throws IOException, InterruptedException {
    HttpResponse<Void> response = http.send(authorize(repository, HttpRequest.newBuilder(URI.create(base + "/v2/"
        + repository + "/blobs/" + digest)).method("HEAD", HttpRequest.BodyPublishers.noBody())).build(),
        HttpResponse.BodyHandlers.discarding());
    return response.statusCode() == 200;
  }

  private HttpResponse<String> send(String repository, HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(authorize(repository, request).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder authorize(String repository, HttpRequest.Builder request) {
    String header = authorization.apply(repository);
    if (header != null) {
      request.header("Authorization", header);
    }
    return request;
  }

  private static void check(HttpResponse<String> response, int expected) {
    if (response.statusCode() != expected) {
      throw new IllegalStateException(response.request().method() + " " + response.uri() + ": HTTP "
          + response.statusCode() + " " + response.body());
    }
  }
}
