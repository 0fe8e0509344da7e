package io.promokit.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

  @Test
  void readsDockerHubImagesWithAndWithoutTag() {
    ImageReference busybox = ImageReference.parse("busybox");
    assertThat(busybox.registry()).isEqualTo("docker.io");
    assertThat(busybox.repository()).isEqualTo("busybox");
    assertThat(busybox.tagOrDigest()).isEqualTo("latest");
    assertThat(busybox.canonical()).isEqualTo("busybox:latest");

    ImageReference tagged = ImageReference.parse("library/alpine:3.20");
    assertThat(tagged.registry()).isEqualTo("docker.io");
    assertThat(tagged.tag()).isEqualTo("3.20");
  }

  @Test
  void takesTheFirstComponentAsARegistryWhenItLooksLikeAHost() {
    assertThat(ImageReference.parse("127.0.0.1:5443/promokit-test/busybox:1").registry()).isEqualTo("127.0.0.1:5443");
    assertThat(ImageReference.parse("localhost/app").registry()).isEqualTo("localhost");
    assertThat(ImageReference.parse("ghcr.io/akuity/kargo:v1.2.3").registry()).isEqualTo("ghcr.io");
    assertThat(ImageReference.parse("promokit-test/busybox:1").registry()).isEqualTo("docker.io");
  }

  @Test
  void pullsByDigestWhenThereIsOne() {
    String digest = "sha256:" + "a".repeat(64);
    ImageReference ref = ImageReference.parse("ghcr.io/x/y:1.0@" + digest);
    assertThat(ref.repository()).isEqualTo("ghcr.io/x/y");
    assertThat(ref.tagOrDigest()).isEqualTo(digest);
    assertThat(ref.canonical()).isEqualTo("ghcr.io/x/y:1.0@" + digest);
  }

  @Test
  void refusesWhatDockerWouldRefuseSayingWhy() {
    assertThatThrownBy(() -> ImageReference.parse("Bad/Name:1"))
        .hasMessage("invalid repository name \"Bad/Name\": repository names must be lowercase");
    assertThatThrownBy(() -> ImageReference.parse("busybox:-bad"))
        .hasMessageStartingWith("invalid tag \"-bad\"");
    assertThatThrownBy(() -> ImageReference.parse("has space:1"))
        .hasMessageStartingWith("invalid repository name \"has space\"");
    assertThatThrownBy(() -> ImageReference.parse("x@sha256:short")).hasMessage("invalid digest \"sha256:short\"");
    assertThatThrownBy(() -> ImageReference.parse(":1")).hasMessage("the repository name is empty");
    assertThatThrownBy(() -> ImageReference.parse("a//b"))
        .hasMessageStartingWith("invalid repository name \"a//b\"");
  }
}
