package io.promokit.steps.files;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.steps.kit.ConfigDurations;
import io.promokit.steps.kit.InvalidConfigException;
import io.promokit.steps.kit.TypedStep;
import io.promokit.steps.kit.UrlQuery;
import io.promokit.steps.kit.WorkdirPaths.Access;
import io.promokit.steps.kit.WorkdirPaths;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code http-download}: GETs a URL into a file of the working directory, with Kargo's fields, rules and
 * statuses (see {@link HttpDownloader} for the exchange). The body is streamed to a temporary file next to
 * {@code outPath} and renamed over it when complete.
 */
final class HttpDownloadStep implements TypedStep<HttpDownloadStep.Config> {

  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  record Pair(String name, String value) {}

  record Config(String url, String outPath, Boolean allowOverwrite, List<Pair> headers, List<Pair> queryParams,
      Boolean insecureSkipTLSVerify, String timeout) {}

  private final HttpDownloader downloader = new HttpDownloader();
  private final long maxBytes;

  HttpDownloadStep(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public StepResult execute(StepContext context, Config config) throws IOException, InterruptedException {
    URI uri = uri(config);
    List<HttpDownloader.Header> headers = headers(config.headers());
    Duration timeout = timeout(context, config.timeout());
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
    Files.createDirectories(target.getParent(), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    try (PendingFile pending = PendingFile.next(target)) {
      HttpDownloader.Outcome outcome;
      try {
        outcome = downloader.download(uri, headers, Boolean.TRUE.equals(config.insecureSkipTLSVerify()), timeout,
            maxBytes, pending.path(), context::onCancel);
      } catch (HttpDownloader.DownloadException e) {
        throw new StepException(e.getMessage(), e);
      }
      if (outcome instanceof HttpDownloader.Rejected rejected) {
        return StepResult.failed("HTTP request failed with status " + rejected.status());
      }
      if (outcome instanceof HttpDownloader.Oversized oversized) {
        return StepResult.failed("download exceeds limit of " + maxBytes + " bytes (Content-Length: "
            + oversized.contentLength() + ")");
      }
      HttpDownloader.Saved saved = (HttpDownloader.Saved) outcome;
      try {
        pending.commit(overwrite);
      } catch (FileAlreadyExistsException e) {
        throw StepException.terminal("file already exists at " + config.outPath() + " and overwrite is not allowed");
      }
      context.log().info("downloaded " + saved.bytes() + " bytes from " + saved.from() + " to " + config.outPath());
      return StepResult.succeeded();
    }
  }

  /** The URL with the config's query parameters added (the whole query re-encoded and sorted, as Go does). */
  static URI uri(Config config) {
    URI base;
    try {
      base = new URI(config.url());
    } catch (URISyntaxException e) {
      throw new InvalidConfigException("config.url: is not a valid URL (" + e.getReason() + " at index "
          + e.getIndex() + "), but was \"" + config.url() + "\"");
    }
    String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || base.getHost() == null) {
      throw new InvalidConfigException("config.url: must be an http or https URL, but was \"" + config.url() + "\"");
    }
    List<Pair> params = config.queryParams() == null ? List.of() : config.queryParams();
    String query = base.getRawQuery();
    if (!params.isEmpty()) {
      query = UrlQuery.withParams(query, params.stream().map(p -> new UrlQuery.Param(p.name(), p.value())).toList());
    }
    String path = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
    return URI.create(scheme + "://" + base.getRawAuthority() + path + (query == null || query.isEmpty() ? "" : "?" + query));
  }

  private static List<HttpDownloader.Header> headers(List<Pair> pairs) {
    List<HttpDownloader.Header> headers = new ArrayList<>();
    if (pairs == null) {
      return headers;
    }
    for (int i = 0; i < pairs.size(); i++) {
      Pair pair = pairs.get(i);
      String lower = pair.name().toLowerCase(Locale.ROOT);
      if (List.of("connection", "content-length", "expect", "host", "upgrade").contains(lower)) {
        throw new InvalidConfigException("config.headers[" + i + "].name: \"" + pair.name()
            + "\" is set by the HTTP client and cannot be given");
      }
      headers.add(new HttpDownloader.Header(pair.name(), pair.value()));
    }
    return headers;
  }

  /** The configured timeout (default 5m), shortened to the step's remaining time. */
  private static Duration timeout(StepContext context, String text) {
    Duration timeout = text == null ? DEFAULT_TIMEOUT : ConfigDurations.positive(text, "config.timeout");
    Duration left = context.remaining().orElse(timeout);
    Duration shorter = left.compareTo(timeout) < 0 ? left : timeout;
    return shorter.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : shorter;
  }
}
