package io.promokit.testkit.gitops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;

/**
 * A real SSH git server on 127.0.0.1 (an ephemeral port), on Apache MINA sshd: a client authenticated by an
 * authorized public key may run git's own {@code git-upload-pack} and {@code git-receive-pack} on the bare
 * repositories under the root folder, at {@code ssh://git@127.0.0.1:<port>/<folder name>}. Nothing else
 * runs: no shell, no other command, no path outside the root.
 *
 * <pre>{@code
 * TestSshKey key = TestSshKey.generate(tempDir.resolve("keys"));
 * try (GitSshServer server = GitSshServer.builder(root).authorizedKey(key).start()) {
 *   String url = server.url("app.git");
 * }
 * }</pre>
 */
public final class GitSshServer implements AutoCloseable {

  private final Path root;
  private final SshServer sshd;
  private final List<String> commands = Collections.synchronizedList(new ArrayList<>());

  private GitSshServer(Builder b) throws IOException, GeneralSecurityException {
    this.root = b.root.toAbsolutePath().toRealPath();
    Path authorizedKeys = b.stateDir.resolve("authorized_keys");
    Files.createDirectories(b.stateDir);
    Files.writeString(authorizedKeys, String.join("\n", b.authorizedKeys) + "\n", StandardCharsets.UTF_8);
    sshd = SshServer.setUpDefaultServer();
    sshd.setHost("127.0.0.1");
    sshd.setPort(0);
    sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey()));
    sshd.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(authorizedKeys));
    sshd.setPasswordAuthenticator(null);
    sshd.setKeyboardInteractiveAuthenticator(null);
    sshd.setCommandFactory((channel, command) -> {
      commands.add(command);
      return new GitSshCommand(root, command);
    });
    sshd.start();
  }

  private static KeyPair hostKey() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** A server for the bare repositories under {@code root}. */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** The URL of a repository: {@code ssh://git@127.0.0.1:<port>/<name>}. */
  public String url(String repositoryName) {
    return "ssh://git@127.0.0.1:" + port() + "/" + repositoryName;
  }

  /** The URL of a repository. */
  public String url(BareRepository repository) {
    return url(repository.name());
  }

  /** The port the server listens on. */
  public int port() {
    return sshd.getPort();
  }

  /** The commands clients asked to run, in order (e.g. {@code git-upload-pack '/app.git'}). */
  public List<String> commands() {
    synchronized (commands) {
      return List.copyOf(commands);
    }
  }

  @Override
  public void close() {
    try {
      sshd.stop(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop the SSH server", e);
    }
  }

  /** Settings of a {@link GitSshServer}. */
  public static final class Builder {
    private final Path root;
    private Path stateDir;
    private final List<String> authorizedKeys = new ArrayList<>();

    private Builder(Path root) {
      this.root = Objects.requireNonNull(root, "root");
      if (!Files.isDirectory(root)) {
        throw new IllegalArgumentException("root must be an existing folder, but was " + root);
      }
      this.stateDir = root.resolve(".ssh-server");
    }

    /** A public key (an OpenSSH {@code authorized_keys} line) allowed to log in as any user. */
    public Builder authorizedKey(String publicKeyLine) {
      if (publicKeyLine == null || publicKeyLine.isBlank()) {
        throw new IllegalArgumentException("public key line must not be blank");
      }
      authorizedKeys.add(publicKeyLine.strip());
      return this;
    }

    /** The public half of a test key, allowed to log in. */
    public Builder authorizedKey(TestSshKey key) {
      return authorizedKey(key.publicKey());
    }

    /** Where the server keeps its authorized_keys file (default {@code <root>/.ssh-server}). */
    public Builder stateDir(Path stateDir) {
      this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
      return this;
    }

    /** Starts the server. */
    public GitSshServer start() {
      if (authorizedKeys.isEmpty()) {
        throw new IllegalStateException("an SSH git server needs at least one authorized key");
      }
      try {
        return new GitSshServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the SSH git server", e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot make the SSH server's host key", e);
      }
    }
  }
}
