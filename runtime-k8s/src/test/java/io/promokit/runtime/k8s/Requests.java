package io.promokit.runtime.k8s;

import io.promokit.spi.ContainerLabels;
import io.promokit.spi.ContainerRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Requests as the engine builds them. */
final class Requests {
  static final String ENGINE = "engine-test";

  private Requests() {}

  /** A request for one attempt, with its workdir (created) under the claim's host root. */
  static ContainerRequest.Builder request(Path claimRoot, String name, String image, String... command) {
    Path workdir = claimRoot.resolve("promo-" + name);
    try {
      Files.createDirectories(workdir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ContainerRequest.builder()
        .name(name)
        .image(image)
        .command(List.of(command))
        .workdir(workdir)
        .label(ContainerLabels.ENGINE, ENGINE)
        .label(ContainerLabels.PROMOTION, "promo-" + name)
        .label(ContainerLabels.STEP, "step")
        .label(ContainerLabels.ATTEMPT, "1")
        .label(ContainerLabels.MANAGED_BY, ContainerLabels.MANAGED_BY_VALUE);
  }
}
