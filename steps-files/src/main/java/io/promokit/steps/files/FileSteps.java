package io.promokit.steps.files;

import io.promokit.RegisteredStep;
import io.promokit.steps.kit.StepDefinition;
import java.util.List;

/**
 * Kargo's file steps for promokit: {@code tar}, {@code untar}, {@code http-download}, {@code toml-parse},
 * {@code toml-update} and {@code yaml-merge}, with Kargo's config fields, outputs and statuses. Every path
 * stays inside the promotion's working directory, archive entries included (see the {@code untar} reference
 * page for the archive safety rules).
 *
 * <pre>{@code
 * StepRegistry registry = StepRegistry.builder()
 *     .withBuiltins()
 *     .register(FileSteps.create().steps())
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the steps it makes may run in several promotions at once. Each call of
 * {@link #steps()} makes new step instances (the HTTP clients of {@code http-download} belong to them).
 */
public final class FileSteps {

  /** Kargo's limit on a download: 100 MiB. */
  public static final long DEFAULT_MAX_DOWNLOAD_BYTES = 100L * 1024 * 1024;
  /** Kargo's limit on one file in an archive: 50 MiB. */
  public static final long DEFAULT_MAX_ARCHIVE_FILE_BYTES = ArchiveLimits.KARGO.maxFileBytes();
  /** Kargo's limit on all files of an archive: 100 MiB. */
  public static final long DEFAULT_MAX_ARCHIVE_TOTAL_BYTES = ArchiveLimits.KARGO.maxTotalBytes();
  /** promokit's limit on the entries of an archive: 100,000. */
  public static final int DEFAULT_MAX_ARCHIVE_ENTRIES = ArchiveLimits.KARGO.maxEntries();

  private final ArchiveLimits archiveLimits;
  private final long maxDownloadBytes;

  private FileSteps(Builder builder) {
    this.archiveLimits = new ArchiveLimits(builder.maxArchiveFileBytes, builder.maxArchiveTotalBytes,
        builder.maxArchiveEntries);
    this.maxDownloadBytes = builder.maxDownloadBytes;
  }

  /** The file steps with Kargo's limits. */
  public static FileSteps create() {
    return builder().build();
  }

  /** Starts a {@link FileSteps} with other limits. */
  public static Builder builder() {
    return new Builder();
  }

  /** The six steps, for {@code StepRegistry.Builder.register(Collection)}. */
  public List<RegisteredStep> steps() {
    return List.of(
        StepDefinition.builder("http-download").schemaResource(FileSteps.class, "schemas/http-download.json")
            .run(HttpDownloadStep.Config.class, new HttpDownloadStep(maxDownloadBytes)).build(),
        StepDefinition.builder("tar").schemaResource(FileSteps.class, "schemas/tar.json")
            .run(TarStep.Config.class, new TarStep(archiveLimits)).build(),
        StepDefinition.builder("toml-parse").schemaResource(FileSteps.class, "schemas/toml-parse.json")
            .run(TomlParseStep.Config.class, new TomlParseStep()).build(),
        StepDefinition.builder("toml-update").schemaResource(FileSteps.class, "schemas/toml-update.json")
            .run(TomlUpdateStep.Config.class, new TomlUpdateStep()).build(),
        StepDefinition.builder("untar").schemaResource(FileSteps.class, "schemas/untar.json")
            .run(UntarStep.Config.class, new UntarStep(archiveLimits)).build(),
        StepDefinition.builder("yaml-merge").schemaResource(FileSteps.class, "schemas/yaml-merge.json")
            .run(YamlMergeStep.Config.class, new YamlMergeStep()).build());
  }

  /** Builds {@link FileSteps}; every limit must be positive. */
  public static final class Builder {
    private long maxDownloadBytes = DEFAULT_MAX_DOWNLOAD_BYTES;
    private long maxArchiveFileBytes = DEFAULT_MAX_ARCHIVE_FILE_BYTES;
    private long maxArchiveTotalBytes = DEFAULT_MAX_ARCHIVE_TOTAL_BYTES;
    private int maxArchiveEntries = DEFAULT_MAX_ARCHIVE_ENTRIES;

    private Builder() {}

    /** The largest body http-download saves (default 100 MiB, as Kargo). */
    public Builder maxDownloadBytes(long bytes) {
      this.maxDownloadBytes = positive("maxDownloadBytes", bytes);
      return this;
    }

    /** The largest single file tar archives and untar extracts (default 50 MiB, as Kargo). */
    public Builder maxArchiveFileBytes(long bytes) {
      this.maxArchiveFileBytes = positive("maxArchiveFileBytes", bytes);
      return this;
    }

    /** The most bytes of files one archive may hold (default 100 MiB, as Kargo). */
    public Builder maxArchiveTotalBytes(long bytes) {
      this.maxArchiveTotalBytes = positive("maxArchiveTotalBytes", bytes);
      return this;
    }

    /** The most entries one archive may hold (default 100,000). */
    public Builder maxArchiveEntries(int entries) {
      this.maxArchiveEntries = (int) positive("maxArchiveEntries", entries);
      return this;
    }

    public FileSteps build() {
      return new FileSteps(this);
    }

    private static long positive(String name, long value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, but was " + value);
      }
      return value;
    }
  }
}
