package io.promokit.steps.git;

import io.promokit.StepContext;
import io.promokit.StepException;
import io.promokit.steps.kit.InvalidConfigException;
import io.promokit.steps.kit.ProcessResult;
import io.promokit.steps.kit.ProcessRunner;
import io.promokit.steps.kit.ProcessSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * A GnuPG home for one attempt of a step that signs: a private 0700 folder outside the working directory
 * (its path short enough for gpg-agent's sockets), holding the signing key, imported with ultimate trust
 * (so git reports the clone's own signatures as good, {@code %G?} = {@code G}). {@link #close()} stops the
 * gpg-agent of that home ({@code gpgconf --kill gpg-agent}) and deletes the folder with the key.
 */
final class GpgHome implements AutoCloseable {

  private final StepContext context;
  private final GitSettings settings;
  private final PrivateFolder folder;
  private final Map<String, String> environment;
  private String fingerprint;

  private GpgHome(StepContext context, GitSettings settings, PrivateFolder folder) {
    this.context = context;
    this.settings = settings;
    this.folder = folder;
    this.environment = Map.of("GNUPGHOME", folder.path().toString());
  }

  /**
   * Imports an ASCII-armored private key into a new GnuPG home.
   *
   * @param configField the config field the key came from ({@code config.author.signingKey}), or null for
   *     the host's key: a key gpg cannot use is invalid config (the step fails) or a terminal error
   */
  static GpgHome open(StepContext context, GitSettings settings, String armoredKey, String configField)
      throws InterruptedException {
    context.masker().register(armoredKey);
    PrivateFolder folder = PrivateFolder.create(settings.scratchDirectory(), context.workdir(), "promokit-gpg-");
    GpgHome home = new GpgHome(context, settings, folder);
    try {
      home.importKey(armoredKey, configField);
      return home;
    } catch (RuntimeException | InterruptedException e) {
      home.close();
      throw e;
    }
  }

  private void importKey(String armoredKey, String configField) throws InterruptedException {
    ProcessRunner runner = ProcessRunner.forStep(context);
    ProcessResult imported = runner.run(gpg("--batch", "--import").stdin(armoredKey).secret(armoredKey).build());
    if (!imported.succeeded()) {
      throw unusable(configField, "gpg --import exited with code " + imported.exitCode()
          + Git.explain(imported.stderrTail()));
    }
    ProcessResult listed = runner.run(gpg("--batch", "--with-colons", "--list-secret-keys").logStdout(false).build());
    fingerprint = firstSecretKeyFingerprint(listed.stdout());
    if (!listed.succeeded() || fingerprint == null) {
      throw unusable(configField, "it holds no secret key (a public key alone cannot sign)");
    }
    runner.run(gpg("--batch", "--import-ownertrust").stdin(fingerprint + ":6:\n").build()).requireSuccess();
  }

  private static RuntimeException unusable(String configField, String why) {
    if (configField != null) {
      return new InvalidConfigException(configField + ": not a usable GPG private key: " + why);
    }
    return StepException.terminal("the host's signing key (GitSteps.Builder.signingKey) is not a usable GPG "
        + "private key: " + why);
  }

  /** The fingerprint of the first secret key in {@code --with-colons} output. */
  static String firstSecretKeyFingerprint(String colons) {
    boolean inSecretKey = false;
    for (String line : colons.split("\n")) {
      String[] fields = line.split(":", -1);
      if (fields[0].equals("sec")) {
        inSecretKey = true;
      } else if (inSecretKey && fields[0].equals("fpr") && fields.length > 9 && !fields[9].isEmpty()) {
        return fields[9];
      }
    }
    return null;
  }

  private ProcessSpec.Builder gpg(String... args) {
    return ProcessSpec.builder(settings.gpgBinary(), args)
        .directory(folder.path())
        .env(environment)
        .env("HOME", folder.path().toString())
        .missingToolHint(GitSettings.GPG_HINT);
  }

  /** {@code GNUPGHOME} for git's gpg. */
  Map<String, String> environment() {
    return environment;
  }

  /** The signing key's fingerprint ({@code user.signingKey}). */
  String fingerprint() {
    return fingerprint;
  }

  Path path() {
    return folder.path();
  }

  @Override
  public void close() {
    try {
      ProcessRunner.forStep(context).run(ProcessSpec.builder(gpgconf(), "--kill", "gpg-agent")
          .directory(folder.path())
          .env(environment)
          .build());
    } catch (InterruptedException e) {
      // Cancelled: the process runner has already stopped every process the attempt's commands left behind.
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      context.log().info("could not stop the gpg-agent of " + folder.path() + ": " + e.getMessage());
    } finally {
      folder.close();
    }
  }

  /** gpgconf next to the configured gpg (or on PATH). */
  private String gpgconf() {
    Path gpg = Path.of(settings.gpgBinary());
    Path parent = gpg.getParent();
    return parent == null ? "gpgconf" : parent.resolve("gpgconf").toString();
  }
}
