package io.promokit.steps.files;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.steps.kit.IgnorePatterns;
import io.promokit.steps.kit.TypedStep;
import io.promokit.steps.kit.WorkdirPaths.Access;
import io.promokit.steps.kit.WorkdirPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code tar}: archives a directory or one file of the working directory into a tar file (gzipped when
 * {@code gzip} is true), written to a temporary file and renamed over {@code outPath}. See {@link TarArchiver}
 * for what goes in and the limits.
 */
final class TarStep implements TypedStep<TarStep.Config> {

  record Config(String inPath, String outPath, Boolean gzip, String ignore) {}

  private final ArchiveLimits limits;

  TarStep(ArchiveLimits limits) {
    this.limits = limits;
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws IOException, InterruptedException {
    Path input = WorkdirPaths.resolve(context.workdir(), config.inPath(), Access.READ, "config.inPath");
    Path output = WorkdirPaths.resolve(context.workdir(), config.outPath(), Access.WRITE, "config.outPath");
    if (!Files.exists(input, LinkOption.NOFOLLOW_LINKS)) {
      throw new StepException("config.inPath: \"" + config.inPath() + "\" does not exist");
    }
    if (output.startsWith(input) && Files.isDirectory(input, LinkOption.NOFOLLOW_LINKS)) {
      throw new StepException("config.outPath: \"" + config.outPath() + "\" is inside config.inPath \""
          + config.inPath() + "\"; the archive would contain itself");
    }
    Path directory = output.getParent();
    try {
      Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
    } catch (IOException e) {
      throw new StepException("failed to create output directory for \"" + config.outPath() + "\": " + reason(e), e);
    }
    if (Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS)) {
      throw new StepException("config.outPath: \"" + config.outPath() + "\" is a directory");
    }
    boolean gzip = Boolean.TRUE.equals(config.gzip());
    TarArchiver archiver = new TarArchiver(IgnorePatterns.parseOrDefault(config.ignore()), limits,
        line -> context.log().info(line), context::isCancelled);
    TarArchiver.Summary summary;
    try (PendingFile pending = PendingFile.next(output)) {
      try (OutputStream out = Files.newOutputStream(pending.path())) {
        summary = archiver.write(input, out, gzip);
      }
      pending.commit(true);
    } catch (TarArchiver.LimitException e) {
      throw new StepException("failed to create the tar archive \"" + config.outPath() + "\": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StepException("failed to create the tar archive \"" + config.outPath() + "\": " + reason(e), e);
    }
    context.log().info("archived " + config.inPath() + " into " + config.outPath() + (gzip ? " (gzip)" : "")
        + ": " + summary.entries() + " entries, " + summary.bytes() + " bytes of files");
    return StepResult.succeeded();
  }

  static String reason(IOException e) {
    String message = e.getMessage();
    String kind = e.getClass().getSimpleName();
    return message == null ? kind : e instanceof java.nio.file.FileSystemException ? kind + ": " + message : message;
  }
}
