/**
 * Test support for GitOps steps: real git servers on 127.0.0.1 with ephemeral ports and state in a folder
 * the caller gives ({@link io.promokit.testkit.gitops.GitHttpServer} for smart HTTP(S) behind basic auth,
 * {@link io.promokit.testkit.gitops.GitSshServer}, {@link io.promokit.testkit.gitops.GitDaemon}), bare
 * repositories filled by tests ({@link io.promokit.testkit.gitops.BareRepository},
 * {@link io.promokit.testkit.gitops.CommitSpec}), a clean-environment git
 * ({@link io.promokit.testkit.gitops.TestGit}) and test keys ({@link io.promokit.testkit.gitops.TestSshKey},
 * {@link io.promokit.testkit.gitops.TestGpgKey}). Every server is {@link AutoCloseable}. Needs git, and for
 * the keys ssh-keygen and gpg. Parameters and return values are never null unless a method says so.
 */
@NullMarked
package io.promokit.testkit.gitops;

import org.jspecify.annotations.NullMarked;
