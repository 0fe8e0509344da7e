package io.promokit.steps.manifests;

import java.util.Objects;

/**
 * One image of the Freight being promoted, as a host's {@link FreightImageSource} gives it to
 * {@code kustomize-set-image}'s auto mode.
 *
 * @param repoURL the image repository (the kustomization entry's {@code name})
 * @param tag the tag; may be empty
 * @param digest the digest; may be empty
 */
public record FreightImage(String repoURL, String tag, String digest) {
  public FreightImage {
    if (repoURL == null || repoURL.isBlank()) {
      throw new IllegalArgumentException("repoURL must not be empty");
    }
    tag = Objects.requireNonNullElse(tag, "");
    digest = Objects.requireNonNullElse(digest, "");
  }
}
