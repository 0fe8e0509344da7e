package io.promokit.cli;

import io.promokit.spi.CredentialsProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code --credentials FILE} (repeatable): Kargo credential Secrets for every step family. */
final class CredentialsOptions {

  final List<Path> files = new ArrayList<>();

  /** Declares {@code --credentials}. */
  void declare(Arguments arguments) {
    arguments.repeatable("--credentials", "FILE",
        "Kargo credential Secrets (label kargo.akuity.io/cred-type: git|helm|image; repoURL, "
            + "repoURLIsRegex, username, password, sshPrivateKey), repeatable.",
        Arguments.path("--credentials", files::add));
  }

  private CredentialsProvider provider;

  /**
   * The credentials of every file, read once.
   *
   * @throws BadInputException naming file and line when a file is unreadable or a Secret is wrong
   */
  CredentialsProvider provider() {
    if (provider == null) {
      provider = CredentialsFile.read(files);
    }
    return provider;
  }
}
