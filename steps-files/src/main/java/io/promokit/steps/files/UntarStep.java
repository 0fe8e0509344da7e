package io.promokit.steps.files;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.steps.kit.DirectoryTrees;
import io.promokit.steps.kit.IgnorePatterns;
import io.promokit.steps.kit.TypedStep;
import io.promokit.steps.kit.WorkdirPaths.Access;
import io.promokit.steps.kit.WorkdirPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code untar}: extracts a tar or gzipped tar of the working directory into {@code outPath}, under the archive
 * safety rules of {@link TarExtraction}. The archive is extracted into a new temporary directory next to
 * {@code outPath}, which then takes {@code outPath}'s place: what was there before is replaced as a whole (as in
 * Kargo), and a failed extraction leaves {@code outPath} as it was.
 */
final class UntarStep implements TypedStep<UntarStep.Config> {

  record Config(String inPath, String outPath, Integer stripComponents, String ignore) {}

  private final ArchiveLimits limits;

  UntarStep(ArchiveLimits limits) {
    this.limits = limits;
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws IOException, InterruptedException {
    Path archive = WorkdirPaths.resolve(context.workdir(), config.inPath(), Access.READ, "config.inPath");
    Path output = WorkdirPaths.resolve(context.workdir(), config.outPath(), Access.WRITE, "config.outPath");
    if (!Files.isRegularFile(archive)) {
      throw new StepException("config.inPath: \"" + config.inPath() + "\" "
          + (Files.exists(archive) ? "is not a file" : "does not exist"));
    }
    if (Files.exists(output, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS)) {
      throw new StepException("config.outPath: \"" + config.outPath() + "\" exists and is not a directory");
    }
    if (archive.startsWith(output)) {
      throw new StepException("config.inPath: \"" + config.inPath() + "\" is inside config.outPath \""
          + config.outPath() + "\", which untar replaces");
    }
    Path parent = output.getParent();
    Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
    Path temp = Files.createTempDirectory(parent, ".untar-");
    try {
      TarExtraction extraction = new TarExtraction(temp.toRealPath(),
          config.stripComponents() == null ? 0 : config.stripComponents(),
          IgnorePatterns.parseOrDefault(config.ignore()), limits, line -> context.log().info(line),
          context::isCancelled);
      TarExtraction.Summary summary;
      try {
        summary = extraction.extract(archive);
      } catch (TarExtraction.ExtractionException e) {
        throw new StepException("failed to extract tar file \"" + config.inPath() + "\": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new StepException("failed to extract tar file \"" + config.inPath() + "\": " + TarStep.reason(e), e);
      }
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-x---"));
      replace(output, temp);
      context.log().info("extracted " + config.inPath() + " into " + config.outPath() + ": " + summary.files()
          + " files, " + summary.directories() + " directories, " + summary.symlinks() + " symlinks"
          + (summary.ignored() == 0 ? "" : ", " + summary.ignored() + " ignored")
          + (summary.skipped() == 0 ? "" : ", " + summary.skipped() + " skipped"));
      return StepResult.succeeded();
    } finally {
      DirectoryTrees.delete(temp);
    }
  }

  /** Puts the extracted directory in the output's place; an old output is moved aside first, then deleted. */
  private static void replace(Path output, Path extracted) throws IOException {
    if (!Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
      Files.move(extracted, output, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    Path old = Files.createTempDirectory(output.getParent(), ".untar-old-");
    Path aside = old.resolve("previous");
    Files.move(output, aside, StandardCopyOption.ATOMIC_MOVE);
    try {
      Files.move(extracted, output, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.move(aside, output, StandardCopyOption.ATOMIC_MOVE);
      throw e;
    } finally {
      DirectoryTrees.delete(old);
    }
  }
}
