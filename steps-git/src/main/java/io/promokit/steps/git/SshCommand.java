package io.promokit.steps.git;

import java.nio.file.Path;

/**
 * The {@code GIT_SSH_COMMAND} git runs: OpenSSH with no user or system config, never asking anything, with
 * the attempt's key file when there is one. Without a known_hosts file from the host, host keys are
 * accepted unchecked and never recorded, as Kargo does.
 */
final class SshCommand {

  private SshCommand() {}

  static String anonymous(Path knownHosts) {
    return base(knownHosts);
  }

  static String withKey(Path keyFile, Path knownHosts) {
    return base(knownHosts) + " -i " + quote(keyFile.toString()) + " -o IdentitiesOnly=yes";
  }

  private static String base(Path knownHosts) {
    String hostKeys = knownHosts == null
        ? "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
        : "-o StrictHostKeyChecking=yes -o UserKnownHostsFile=" + quote(knownHosts.toString());
    return "ssh -F /dev/null -o BatchMode=yes -o LogLevel=ERROR " + hostKeys;
  }

  /** Single-quoted for the shell git runs the command with. */
  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
