package io.promokit.cli;

import io.promokit.spi.CredentialsProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --credentials FILE} (repeatable): Kargo credential Secrets for every step family. */
final class CredentialsOptions {

  @Option(names = "--credentials", paramLabel = "FILE",
      description = "Kargo credential Secrets (label kargo.akuity.io/cred-type: git|helm|image; repoURL, "
          + "repoURLIsRegex, username, password, sshPrivateKey), repeatable.")
  List<Path> files = new ArrayList<>();

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
