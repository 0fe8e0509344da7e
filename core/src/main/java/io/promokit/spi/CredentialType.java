package io.promokit.spi;

import io.promokit.internal.RepoUrls;
import java.util.Locale;

/**
 * What a credential is for, as Kargo's {@code kargo.akuity.io/cred-type} label says: a git repository, a
 * Helm chart repository or an image repository. Each type compares repository URLs after its own
 * normalisation ({@link #normalize(String)}), exactly as Kargo does.
 */
public enum CredentialType {
  /** A git repository ({@code https://}, {@code ssh://} or SCP-style {@code git@host:path}). */
  GIT("git"),
  /** A Helm chart repository (HTTP(S) or {@code oci://}). */
  HELM("helm"),
  /** A container image repository. */
  IMAGE("image");

  private final String label;

  CredentialType(String label) {
    this.label = label;
  }

  /** The value of Kargo's {@code kargo.akuity.io/cred-type} label: {@code git}, {@code helm}, {@code image}. */
  public String label() {
    return label;
  }

  /**
   * The type for a label value.
   *
   * @throws IllegalArgumentException naming the allowed values when the label is unknown
   */
  public static CredentialType fromLabel(String label) {
    for (CredentialType type : values()) {
      if (type.label.equals(label)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown credential type \"" + label + "\" (expected git, helm or image)");
  }

  /**
   * The URL as this type compares it (Kargo's rules):
   * <ul>
   *   <li>git: lower-cased; user-info dropped from {@code http(s)://} URLs; a trailing {@code /} and
   *       {@code .git} removed; SCP-style {@code git@host:org/repo.git} becomes
   *       {@code ssh://git@host/org/repo}; anything unparsable is returned as it is;</li>
   *   <li>image: Docker Hub names lose {@code docker.io/}, {@code index.docker.io/} and {@code library/};
   *       tags and digests are dropped; others stay {@code registry/repository};</li>
   *   <li>helm: trimmed, lower-cased, {@code oci://} removed, then as an image.</li>
   * </ul>
   */
  public String normalize(String url) {
    return switch (this) {
      case GIT -> RepoUrls.normalizeGit(url);
      case IMAGE -> RepoUrls.normalizeImage(url);
      case HELM -> RepoUrls.normalizeChart(url);
    };
  }

  @Override
  public String toString() {
    return label.toUpperCase(Locale.ROOT);
  }
}
