package io.promokit.steps.oci;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.steps.kit.InvalidConfigException;
import io.promokit.steps.kit.TypedStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code oci-push}: copies or retags an image or index ({@code srcRef}) to a tag ({@code destRef}), as Kargo does.
 * Without annotations every manifest is pushed byte for byte, so the digest stays the source's. With annotations,
 * keys prefixed {@code index:} go to an index's own manifest (and are ignored for a single image), keys prefixed
 * {@code manifest:} or unprefixed go to each image manifest; the changed manifests are re-serialised (see
 * {@link Manifest#withAnnotations}) and an index's descriptors point at the new children.
 *
 * <p>A copy to another repository moves every blob the destination lacks: mounted from the source repository
 * when both are on one registry, else downloaded (verified) into a private temporary folder and uploaded; it is
 * refused when the artifact's compressed size (config and layers, summed over an index's images) is over the
 * limit ({@code MAX_OCI_PUSH_ARTIFACT_SIZE}, 1 GiB by default; 0 refuses every cross-repository copy, a negative
 * value means no limit). A retag inside one repository moves no blob and has no limit.
 */
final class OciPushStep implements TypedStep<OciPushStep.Config> {

  record Config(String srcRef, String destRef, Map<String, String> annotations, Boolean insecureSkipTLSVerify) {}

  private final OciSettings settings;

  OciPushStep(OciSettings settings) {
    this.settings = settings;
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws IOException, InterruptedException {
    OciReference source = parse(config.srcRef(), "config.srcRef", "source");
    OciReference destination = parse(config.destRef(), "config.destRef", "destination");
    if (destination.tag() == null) {
      throw new InvalidConfigException("config.destRef: must name a tag, but was \"" + config.destRef() + "\"");
    }
    Map<String, String> indexAnnotations = new TreeMap<>();
    Map<String, String> manifestAnnotations = new TreeMap<>();
    if (config.annotations() != null) {
      config.annotations().forEach((key, value) -> {
        if (key.startsWith("index:")) {
          indexAnnotations.put(key.substring("index:".length()), value);
        } else {
          manifestAnnotations.put(key.startsWith("manifest:") ? key.substring("manifest:".length()) : key, value);
        }
      });
    }
    boolean insecure = Boolean.TRUE.equals(config.insecureSkipTLSVerify());
    Cancellation cancellation = new Cancellation(context);
    Registry from = settings.registry(context, cancellation, source, insecure);
    Registry to = settings.registry(context, cancellation, destination, insecure);
    Manifest top = from.manifest(source);
    if (!top.isImage() && !top.isIndex()) {
      throw StepException.terminal("unsupported media type \"" + top.mediaType() + "\" of \"" + source + "\"");
    }
    boolean crossRepository = !source.context().equals(destination.context());
    if (crossRepository) {
      checkSize(from, source, top);
    }
    Path spool = Files.createTempDirectory("promokit-oci-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    try {
      Copy copy = new Copy(context, from, to, source, destination, crossRepository, spool, manifestAnnotations);
      Manifest pushed = top.isIndex() ? copy.index(top, indexAnnotations) : copy.image(top);
      to.putManifest(destination.repository(), destination.tag(), pushed);
      context.log().info("pushed " + pushed.mediaType() + " " + pushed.digest() + " to " + destination
          + (pushed.digest().equals(top.digest()) ? " (the source's digest)" : " (annotated; the source is "
              + top.digest() + ")"));
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put("image", destination.original().startsWith("oci://")
          ? destination.original().substring("oci://".length()) : destination.original());
      outputs.put("digest", pushed.digest());
      outputs.put("tag", destination.tag());
      return StepResult.succeeded(outputs);
    } finally {
      deleteTree(spool);
    }
  }

  private static OciReference parse(String text, String field, String which) {
    try {
      return OciReference.parse(text);
    } catch (OciReference.InvalidReferenceException e) {
      throw new InvalidConfigException(field + ": failed to parse " + which + " reference \"" + text + "\": "
          + e.getMessage());
    }
  }

  /** Kargo's cross-repository limit on the compressed size (config and layers, over every image of an index). */
  private void checkSize(Registry from, OciReference source, Manifest top) throws InterruptedException {
    long limit = settings.maxPushBytes();
    if (limit < 0) {
      return;
    }
    if (limit == 0) {
      throw StepException.terminal("cross-repository pushes are disabled (MAX_OCI_PUSH_ARTIFACT_SIZE is 0); only "
          + "a retag inside " + source.context() + " is allowed");
    }
    long size = size(from, source, top);
    if (size > limit) {
      throw StepException.terminal("artifact size " + size + " bytes exceeds the maximum of " + limit
          + " bytes for a cross-repository push (MAX_OCI_PUSH_ARTIFACT_SIZE)");
    }
  }

  private static long size(Registry from, OciReference source, Manifest manifest) throws InterruptedException {
    if (manifest.isImage()) {
      long size = manifest.config() == null ? 0 : Math.max(0, manifest.config().size());
      for (Manifest.Descriptor layer : manifest.layers()) {
        size += Math.max(0, layer.size());
      }
      return size;
    }
    long size = 0;
    for (Manifest.Descriptor child : manifest.children()) {
      if (child.isImage() || child.isIndex()) {
        size += size(from, source, from.manifest(source.repository(), child.digest(), source + " (" + child.digest()
            + ")"));
      }
    }
    return size;
  }

  /** One copy: the blobs already handled, the temporary folder, the annotations for images. */
  private static final class Copy {
    private final StepContext context;
    private final Registry from;
    private final Registry to;
    private final OciReference source;
    private final OciReference destination;
    private final boolean crossRepository;
    private final Path spool;
    private final Map<String, String> manifestAnnotations;
    private final Set<String> present = new HashSet<>();

    Copy(StepContext context, Registry from, Registry to, OciReference source, OciReference destination,
        boolean crossRepository, Path spool, Map<String, String> manifestAnnotations) {
      this.context = context;
      this.from = from;
      this.to = to;
      this.source = source;
      this.destination = destination;
      this.crossRepository = crossRepository;
      this.spool = spool;
      this.manifestAnnotations = manifestAnnotations;
    }

    /** Copies an image's blobs; returns the manifest to push (annotated when asked). */
    Manifest image(Manifest manifest) throws InterruptedException, IOException {
      if (crossRepository) {
        if (manifest.config() != null) {
          blob(manifest.config());
        }
        for (Manifest.Descriptor layer : manifest.layers()) {
          if (!layer.isForeign()) {
            blob(layer);
          }
        }
      }
      return manifestAnnotations.isEmpty() ? manifest : manifest.withAnnotations(manifestAnnotations);
    }

    /** Copies an index's children (pushed by digest); returns the index to push. */
    Manifest index(Manifest index, Map<String, String> indexAnnotations) throws InterruptedException, IOException {
      Map<String, Manifest> replaced = new LinkedHashMap<>();
      for (Manifest.Descriptor child : index.children()) {
        Manifest original = from.manifest(source.repository(), child.digest(), source + " (" + child.digest() + ")");
        Manifest pushed;
        if (original.isIndex()) {
          pushed = nested(original);
        } else if (original.isImage()) {
          pushed = image(original);
        } else {
          throw StepException.terminal("unsupported media type \"" + original.mediaType() + "\" of " + child.digest()
              + " in the index \"" + source + "\"");
        }
        if (crossRepository || !pushed.digest().equals(original.digest())) {
          to.putManifest(destination.repository(), pushed.digest(), pushed);
        }
        if (!pushed.digest().equals(original.digest())) {
          replaced.put(original.digest(), pushed);
        }
      }
      Manifest result = replaced.isEmpty() ? index : index.withChildren(replaced);
      return indexAnnotations.isEmpty() ? result : result.withAnnotations(indexAnnotations);
    }

    /** An index inside an index: copied as it is (annotations apply to the top level's images only, as Kargo). */
    private Manifest nested(Manifest index) throws InterruptedException, IOException {
      for (Manifest.Descriptor child : index.children()) {
        Manifest original = from.manifest(source.repository(), child.digest(), source + " (" + child.digest() + ")");
        if (crossRepository) {
          if (original.isImage()) {
            for (Manifest.Descriptor blob : original.layers()) {
              if (!blob.isForeign()) {
                blob(blob);
              }
            }
            if (original.config() != null) {
              blob(original.config());
            }
          } else if (original.isIndex()) {
            nested(original);
          }
          to.putManifest(destination.repository(), original.digest(), original);
        }
      }
      return index;
    }

    private void blob(Manifest.Descriptor blob) throws InterruptedException, IOException {
      if (!present.add(blob.digest())) {
        return;
      }
      if (to.hasBlob(destination.repository(), blob.digest())) {
        context.log().info("blob " + blob.digest() + " is already in " + destination.context());
        return;
      }
      if (source.apiHost().equals(destination.apiHost())
          && to.mount(destination.repository(), blob.digest(), source.repository())) {
        context.log().info("mounted blob " + blob.digest() + " from " + source.repository());
        return;
      }
      Path file = Files.createTempFile(spool, "blob-", "");
      try {
        from.downloadBlob(source.repository(), blob, file);
        to.uploadBlob(destination.repository(), blob.digest(), file);
      } finally {
        Files.deleteIfExists(file);
      }
      context.log().info("copied blob " + blob.digest() + " (" + blob.size() + " bytes) to " + destination.context());
    }
  }

  private static void deleteTree(Path folder) throws IOException {
    try (var files = Files.list(folder)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(folder);
  }
}
