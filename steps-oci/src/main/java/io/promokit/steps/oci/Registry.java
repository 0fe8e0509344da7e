package io.promokit.steps.oci;

import io.promokit.StepException;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OCI Distribution API calls the OCI steps make on one registry (through a {@link RegistrySession}):
 * manifests by tag or digest (verified against the digest asked for and the one the registry states), blobs
 * streamed to a file and verified, blob existence, monolithic uploads (with a cross-repository mount first when
 * both repositories are on this registry), and manifest pushes. Every failure is a retryable
 * {@link StepException} naming the call, the registry and its answer.
 */
final class Registry {

  /** The largest manifest read (the distribution spec's recommended limit). */
  static final long MAX_MANIFEST_BYTES = 4L * 1024 * 1024;

  private final RegistrySession session;

  Registry(RegistrySession session) {
    this.session = session;
  }

  String host() {
    return session.host();
  }

  static List<String> pull(String repository) {
    return List.of("repository:" + repository + ":pull");
  }

  static List<String> push(String repository) {
    return List.of("repository:" + repository + ":pull,push");
  }

  /** The manifest a reference names, verified; a 404 is a {@link StepException} saying it is not there. */
  Manifest manifest(OciReference reference) throws InterruptedException {
    return manifest(reference.repository(), reference.identifier(), reference.toString());
  }

  Manifest manifest(String repository, String identifier, String display) throws InterruptedException {
    String path = "/v2/" + repository + "/manifests/" + identifier;
    RegistrySession.Response response = session.send(RegistrySession.Request.get(path, pull(repository),
        Map.of("Accept", Manifest.ACCEPT)), BodySink.toMemory(MAX_MANIFEST_BYTES, "the manifest of " + display));
    if (response.status() == 404) {
      throw new StepException("\"" + display + "\" was not found: " + host() + " has no manifest " + identifier
          + " in " + repository + RegistrySession.errorText(response));
    }
    if (response.status() == 401 || response.status() == 403) {
      throw new StepException(session.refusal(response, "reading \"" + display + "\""));
    }
    if (!response.ok()) {
      throw new StepException("GET " + path + " at " + host() + " answered HTTP " + response.status()
          + RegistrySession.errorText(response));
    }
    Manifest manifest;
    try {
      manifest = Manifest.read(response.body().content(), response.headers().firstValue("Content-Type").orElse(null));
    } catch (IOException e) {
      throw new StepException("the manifest of \"" + display + "\" from " + host() + " is not valid JSON: "
          + e.getMessage(), e);
    }
    if (identifier.startsWith("sha256:") && !manifest.digest().equals(identifier)) {
      throw new StepException("the manifest of \"" + display + "\" from " + host() + " has digest "
          + manifest.digest() + ", not the " + identifier + " asked for (corrupted or tampered with)");
    }
    Optional<String> stated = response.headers().firstValue("Docker-Content-Digest");
    if (stated.isPresent() && stated.get().startsWith("sha256:") && !stated.get().equals(manifest.digest())) {
      throw new StepException("the manifest of \"" + display + "\" from " + host() + " has digest "
          + manifest.digest() + ", but the registry states " + stated.get() + " (corrupted in transfer?)");
    }
    return manifest;
  }

  /**
   * Streams a blob into {@code file} (truncated first), checking its size and digest; on a mismatch the file
   * holds garbage and the caller discards it.
   */
  void downloadBlob(String repository, Manifest.Descriptor blob, Path file) throws InterruptedException {
    String path = "/v2/" + repository + "/blobs/" + blob.digest();
    String what = "blob " + blob.digest();
    RegistrySession.Response response = session.send(RegistrySession.Request.get(path, pull(repository), Map.of()),
        BodySink.toFile(file, blob.size(), what));
    if (response.status() == 401 || response.status() == 403) {
      throw new StepException(session.refusal(response, "reading " + what));
    }
    if (response.status() == 404) {
      throw new StepException(host() + " has no " + what + " in " + repository + RegistrySession.errorText(response));
    }
    if (!response.ok()) {
      throw new StepException("GET " + path + " at " + host() + " answered HTTP " + response.status()
          + RegistrySession.errorText(response));
    }
    if (!response.body().digest().equals(blob.digest())) {
      throw new StepException(what + " from " + host() + " has the wrong content: its digest is "
          + response.body().digest() + " (corrupted or tampered with)");
    }
  }

  /** Whether the repository holds the blob. */
  boolean hasBlob(String repository, String digest) throws InterruptedException {
    String path = "/v2/" + repository + "/blobs/" + digest;
    RegistrySession.Response response = session.send(new RegistrySession.Request("HEAD", path, Map.of(), null,
        push(repository), false), null);
    if (response.status() == 401 || response.status() == 403) {
      throw new StepException(session.refusal(response, "checking blob " + digest + " in " + repository));
    }
    return response.ok();
  }

  /**
   * Tries to mount a blob from another repository of this registry (no data moves).
   *
   * @return whether it is now in {@code repository}
   */
  boolean mount(String repository, String digest, String from) throws InterruptedException {
    List<String> scopes = List.of("repository:" + repository + ":pull,push", "repository:" + from + ":pull");
    String path = "/v2/" + repository + "/blobs/uploads/?mount=" + digest + "&from=" + from;
    RegistrySession.Response response = session.send(new RegistrySession.Request("POST", path, Map.of(),
        HttpRequest.BodyPublishers.noBody(), scopes, false), null);
    if (response.status() == 202) {
      // The registry opened an upload instead; it is not used (a new one follows), so close it.
      response.headers().firstValue("Location").ifPresent(location -> cancelUpload(location, scopes));
    }
    return response.status() == 201;
  }

  /** Uploads a blob from a file in one request (POST, then PUT with the digest). */
  void uploadBlob(String repository, String digest, Path file) throws InterruptedException {
    List<String> scopes = push(repository);
    String start = "/v2/" + repository + "/blobs/uploads/";
    RegistrySession.Response opened = session.send(new RegistrySession.Request("POST", start, Map.of(),
        HttpRequest.BodyPublishers.noBody(), scopes, false), null);
    if (opened.status() == 401 || opened.status() == 403) {
      throw new StepException(session.refusal(opened, "pushing to " + repository));
    }
    String location = opened.headers().firstValue("Location").orElse(null);
    if (opened.status() != 202 || location == null) {
      throw new StepException("POST " + start + " at " + host() + " answered HTTP " + opened.status()
          + (location == null && opened.status() == 202 ? " without a Location" : "") + RegistrySession.errorText(opened));
    }
    String target = session.resolve("/").resolve(location).toString();
    target += (target.contains("?") ? "&" : "?") + "digest=" + digest;
    HttpRequest.BodyPublisher body;
    try {
      body = HttpRequest.BodyPublishers.ofFile(file);
    } catch (java.io.FileNotFoundException e) {
      throw new IllegalStateException("the blob's temporary file is gone: " + file, e);
    }
    session.authorize(scopes);
    RegistrySession.Response put = session.send(new RegistrySession.Request("PUT", target,
        Map.of("Content-Type", "application/octet-stream"), body, scopes, true), null);
    if (put.status() != 201) {
      throw new StepException("uploading blob " + digest + " to " + repository + " at " + host() + ": HTTP "
          + put.status() + RegistrySession.errorText(put));
    }
  }

  /** Pushes a manifest under a tag or its digest; the registry must accept it as it is. */
  void putManifest(String repository, String reference, Manifest manifest) throws InterruptedException {
    String path = "/v2/" + repository + "/manifests/" + reference;
    RegistrySession.Response response = session.send(new RegistrySession.Request("PUT", path,
        Map.of("Content-Type", manifest.mediaType()), HttpRequest.BodyPublishers.ofByteArray(manifest.bytes()),
        push(repository), false), null);
    if (response.status() == 401 || response.status() == 403) {
      throw new StepException(session.refusal(response, "pushing the manifest " + reference + " to " + repository));
    }
    if (response.status() != 201 && response.status() != 200) {
      throw new StepException("pushing the manifest " + reference + " to " + repository + " at " + host()
          + ": HTTP " + response.status() + RegistrySession.errorText(response));
    }
    Optional<String> stated = response.headers().firstValue("Docker-Content-Digest");
    if (stated.isPresent() && !stated.get().equals(manifest.digest())) {
      throw new StepException(host() + " stored the manifest " + reference + " in " + repository + " as "
          + stated.get() + ", not as " + manifest.digest() + " (it changed what was pushed)");
    }
  }

  private void cancelUpload(String location, List<String> scopes) {
    try {
      session.send(new RegistrySession.Request("DELETE", session.resolve("/").resolve(location).toString(), Map.of(),
          null, scopes, false), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StepException e) {
      // An upload left open expires on the registry by itself.
    }
  }
}
