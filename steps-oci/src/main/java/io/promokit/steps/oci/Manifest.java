package io.promokit.steps.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A manifest or index exactly as the registry served it: its bytes (pushed again unchanged, so the digest stays),
 * its media type and digest, and a read of its JSON for the descriptors it points at. {@link #withAnnotations} and
 * {@link #withChildren} make new manifests; nothing changes this one.
 */
final class Manifest {

  static final ObjectMapper JSON = JsonMapper.builder().build();

  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  /** What a manifest request accepts: the image and index types of OCI and Docker (schema 2). */
  static final String ACCEPT = String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST);

  /** A descriptor of a manifest: what it points at. */
  record Descriptor(String mediaType, String digest, long size, boolean hasUrls, String os, String architecture) {
    boolean isImage() {
      return mediaType.equals(OCI_MANIFEST) || mediaType.equals(DOCKER_MANIFEST);
    }

    boolean isIndex() {
      return mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST);
    }

    /** A layer that registries do not hold (Windows base layers): it is referenced by URL, never copied. */
    boolean isForeign() {
      return hasUrls && (mediaType.contains("foreign") || mediaType.contains("nondistributable"));
    }
  }

  private final byte[] bytes;
  private final String mediaType;
  private final String digest;
  private final ObjectNode json;

  private Manifest(byte[] bytes, String mediaType, ObjectNode json) {
    this.bytes = bytes;
    this.mediaType = mediaType;
    this.json = json;
    this.digest = sha256(bytes);
  }

  /**
   * Reads a manifest.
   *
   * @param contentType the registry's {@code Content-Type}, used when the JSON has no {@code mediaType}
   * @throws IOException when the bytes are not a JSON object
   */
  static Manifest read(byte[] bytes, String contentType) throws IOException {
    JsonNode tree = JSON.readTree(bytes);
    if (!(tree instanceof ObjectNode object)) {
      throw new IOException("the manifest is not a JSON object");
    }
    String type = object.path("mediaType").asText("");
    if (type.isEmpty()) {
      type = contentType == null ? "" : contentType.split(";")[0].strip();
    }
    return new Manifest(bytes, type, object);
  }

  byte[] bytes() {
    return bytes.clone();
  }

  int size() {
    return bytes.length;
  }

  String mediaType() {
    return mediaType;
  }

  String digest() {
    return digest;
  }

  boolean isImage() {
    return mediaType.equals(OCI_MANIFEST) || mediaType.equals(DOCKER_MANIFEST);
  }

  boolean isIndex() {
    return mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST);
  }

  /** An image's config, or null. */
  Descriptor config() {
    return json.has("config") ? descriptor(json.get("config")) : null;
  }

  /** An image's layers, in order. */
  List<Descriptor> layers() {
    return descriptors("layers");
  }

  /** An index's manifests, in order. */
  List<Descriptor> children() {
    return descriptors("manifests");
  }

  /**
   * This manifest with annotations added or replaced, re-serialised: compact JSON keeping every other field as
   * it was, in its order, the {@code annotations} object with its keys sorted (as Go writes a map). Gets a new
   * digest.
   */
  Manifest withAnnotations(Map<String, String> annotations) {
    ObjectNode copy = json.deepCopy();
    TreeMap<String, String> merged = new TreeMap<>();
    copy.path("annotations").properties().forEach(e -> merged.put(e.getKey(), e.getValue().asText()));
    merged.putAll(annotations);
    ObjectNode node = JSON.createObjectNode();
    merged.forEach(node::put);
    copy.set("annotations", node);
    return rewritten(copy);
  }

  /** This index with the descriptors of some children replaced (their annotated versions), by old digest. */
  Manifest withChildren(Map<String, Manifest> replacements) {
    ObjectNode copy = json.deepCopy();
    for (JsonNode child : copy.path("manifests")) {
      Manifest replacement = replacements.get(child.path("digest").asText());
      if (replacement != null && child instanceof ObjectNode descriptor) {
        descriptor.put("digest", replacement.digest());
        descriptor.put("size", replacement.size());
      }
    }
    return rewritten(copy);
  }

  private Manifest rewritten(ObjectNode tree) {
    try {
      return new Manifest(JSON.writeValueAsBytes(tree), mediaType, tree);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a manifest read from JSON: " + e, e);
    }
  }

  private List<Descriptor> descriptors(String field) {
    List<Descriptor> list = new ArrayList<>();
    for (JsonNode node : json.path(field)) {
      list.add(descriptor(node));
    }
    return list;
  }

  private static Descriptor descriptor(JsonNode node) {
    return new Descriptor(node.path("mediaType").asText(""), node.path("digest").asText(""),
        node.path("size").asLong(-1), node.path("urls").size() > 0,
        node.path("platform").path("os").asText(""), node.path("platform").path("architecture").asText(""));
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
