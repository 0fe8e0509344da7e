package io.promokit.spi;

/** What a credential is for, as Kargo's {@code kargo.akuity.io/cred-type} label says. */
public enum CredentialType {
  /** Git repositories (clone, push, pull-request providers). */
  GIT,
  /** Helm chart repositories and OCI registries holding charts. */
  HELM,
  /** Container image registries. */
  IMAGE
}
