package io.promokit.steps;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.StepResult;
import io.promokit.steps.kit.AtomicFiles;
import io.promokit.steps.kit.InvalidConfigException;
import io.promokit.steps.kit.WorkdirPaths.Access;
import io.promokit.steps.kit.WorkdirPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code file-write}: writes {@code contents} to {@code path} with a safe mode. The file appears whole or not
 * at all.
 */
final class FileWriteStep extends BuiltinStep {

  static final String DEFAULT_PERMISSIONS = "0600";

  record Config(String path, String contents, String permissions, Boolean overwrite) {}

  FileWriteStep() {
    super("file-write");
  }

  @Override
  StepResult run(StepContext context) throws IOException {
    Config config = context.config(Config.class);
    Set<PosixFilePermission> permissions =
        parsePermissions(config.permissions() == null ? DEFAULT_PERMISSIONS : config.permissions());
    boolean overwrite = Boolean.TRUE.equals(config.overwrite());
    Path target = WorkdirPaths.resolve(context.workdir(), config.path(), Access.WRITE, "config.path");
    if (!overwrite && Files.exists(target)) {
      return alreadyExists(config.path());
    }
    if (Files.isDirectory(target)) {
      throw StepException.terminal("config.path: \"" + config.path() + "\" is a directory");
    }
    try {
      AtomicFiles.write(target, config.contents().getBytes(StandardCharsets.UTF_8), permissions, overwrite);
    } catch (FileAlreadyExistsException e) {
      return alreadyExists(config.path());
    }
    context.log().info("wrote " + config.path());
    return StepResult.succeeded();
  }

  /** Kargo's status for a file that is there without {@code overwrite}: {@code Failed}, not an error. */
  private static StepResult alreadyExists(String path) {
    return StepResult.failed("config.path: \"" + path + "\" already exists; set overwrite: true to replace it");
  }

  /** An octal mode such as {@code 0644}, without execute, special or world-write bits. */
  static Set<PosixFilePermission> parsePermissions(String text) {
    if (!text.matches("0?[0-7]{3}|[0-7]{4}")) {
      throw new InvalidConfigException(
          "config.permissions: must be an octal mode such as \"0644\", but was \"" + text + "\"");
    }
    int mode = Integer.parseInt(text, 8);
    if ((mode & 07000) != 0) {
      throw new InvalidConfigException("config.permissions: \"" + text
          + "\" sets the setuid, setgid or sticky bit, which file-write does not allow");
    }
    if ((mode & 0111) != 0) {
      throw new InvalidConfigException(
          "config.permissions: \"" + text + "\" makes the file executable, which file-write does not allow");
    }
    if ((mode & 0002) != 0) {
      throw new InvalidConfigException(
          "config.permissions: \"" + text + "\" makes the file world-writable, which file-write does not allow");
    }
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < bits.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        permissions.add(bits[bit]);
      }
    }
    return permissions;
  }
}
