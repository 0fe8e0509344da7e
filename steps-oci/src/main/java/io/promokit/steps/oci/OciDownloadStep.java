package io.promokit.steps.oci;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.steps.kit.AtomicFiles;
import io.promokit.steps.kit.InvalidConfigException;
import io.promokit.steps.kit.TypedStep;
import io.promokit.steps.kit.WorkdirPaths;
import io.promokit.steps.kit.WorkdirPaths.Access;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * {@code oci-download}: saves one layer of an OCI artifact (a Helm chart's {@code .tgz}, a bundle) to a file of the
 * working directory, as Kargo does: the first layer whose media type is {@code mediaType}, else the first layer;
 * the blob as stored (compressed), at most the size limit (100 MiB). An index is resolved to its
 * {@code linux/amd64} image, as go-containerregistry's {@code remote.Image} does. The blob is streamed to a
 * temporary file next to {@code outPath}, checked against its descriptor's size and digest, and only then renamed
 * into place: a corrupted, cut or stalled transfer leaves nothing behind.
 */
final class OciDownloadStep implements TypedStep<OciDownloadStep.Config> {

  record Config(String imageRef, String outPath, Boolean allowOverwrite, String mediaType,
      Boolean insecureSkipTLSVerify) {}

  private final OciSettings settings;

  OciDownloadStep(OciSettings settings) {
    this.settings = settings;
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws IOException, InterruptedException {
    OciReference reference = parse(config.imageRef());
    boolean overwrite = Boolean.TRUE.equals(config.allowOverwrite());
    Path target = WorkdirPaths.resolve(context.workdir(), config.outPath(), Access.WRITE, "config.outPath");
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (!overwrite) {
        throw StepException.terminal("file already exists at " + config.outPath() + " and overwrite is not allowed");
      }
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw StepException.terminal("config.outPath: \"" + config.outPath() + "\" is a directory");
      }
    }
    Files.createDirectories(target.getParent(),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));

    Registry registry = settings.registry(context, reference, Boolean.TRUE.equals(config.insecureSkipTLSVerify()));
    Manifest manifest = image(registry, reference);
    Manifest.Descriptor layer = chooseLayer(manifest, config.mediaType());
    if (layer.size() > settings.maxDownloadBytes()) {
      throw StepException.terminal("layer size " + layer.size() + " exceeds maximum allowed size of "
          + settings.maxDownloadBytes() + " bytes");
    }
    try {
      AtomicFiles.write(target, file -> registry.downloadBlob(reference.repository(), layer, file), null, overwrite);
    } catch (FileAlreadyExistsException e) {
      throw StepException.terminal("file already exists at " + config.outPath() + " and overwrite is not allowed");
    }
    context.log().info("downloaded layer " + layer.digest() + " (" + layer.mediaType() + ", " + layer.size()
        + " bytes) of " + reference + " to " + config.outPath());
    return StepResult.succeeded();
  }

  static OciReference parse(String imageRef) {
    try {
      return OciReference.parse(imageRef);
    } catch (OciReference.InvalidReferenceException e) {
      throw new InvalidConfigException("config.imageRef: failed to parse image reference \"" + imageRef + "\": "
          + e.getMessage());
    }
  }

  /** The image manifest: the reference's own, or an index's {@code linux/amd64} child. */
  private static Manifest image(Registry registry, OciReference reference) throws InterruptedException {
    Manifest top = registry.manifest(reference);
    Manifest manifest = top;
    if (top.isIndex()) {
      Manifest.Descriptor child = top.children().stream()
          .filter(d -> d.isImage() && d.os().equals("linux") && d.architecture().equals("amd64"))
          .findFirst()
          .orElseThrow(() -> new StepException("failed to resolve image \"" + reference + "\": it is an index "
              + "without a linux/amd64 image (its platforms: " + platforms(top.children()) + ")"));
      manifest = registry.manifest(reference.repository(), child.digest(), reference + " (linux/amd64)");
    }
    if (!manifest.isImage()) {
      throw StepException.terminal("failed to resolve image \"" + reference + "\": unsupported media type \""
          + manifest.mediaType() + "\"");
    }
    return manifest;
  }

  /** Kargo's choice: the first layer of the media type asked for, else the first layer. */
  static Manifest.Descriptor chooseLayer(Manifest manifest, String mediaType) {
    List<Manifest.Descriptor> layers = manifest.layers();
    if (layers.isEmpty()) {
      throw new StepException("failed to find target layer: image has no layers");
    }
    if (mediaType == null) {
      return layers.get(0);
    }
    return layers.stream().filter(l -> l.mediaType().equals(mediaType)).findFirst()
        .orElseThrow(() -> new StepException("failed to find target layer: no layer found with media type \""
            + mediaType + "\" (the layers are: " + String.join(", ", layers.stream().map(Manifest.Descriptor::mediaType)
                .distinct().toList()) + ")"));
  }

  private static String platforms(List<Manifest.Descriptor> children) {
    List<String> names = children.stream().filter(d -> !d.os().isEmpty()).map(d -> d.os() + "/" + d.architecture())
        .distinct().toList();
    return names.isEmpty() ? "none given" : String.join(", ", names);
  }
}
