package io.promokit.steps.git;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The signing keys {@code git-clone} steps were given in their {@code author} block, by the clone's bare
 * repository, kept in memory only: later steps on the clone (commit, tag, push) sign with them, and no key
 * is ever written into the working directory. A clone whose folder is gone is forgotten.
 */
final class SigningKeys {

  private final ConcurrentMap<Path, String> byRepository = new ConcurrentHashMap<>();

  void remember(Path bareRepository, String armoredKey) {
    byRepository.keySet().removeIf(path -> !Files.isDirectory(path));
    byRepository.put(bareRepository, armoredKey);
  }

  Optional<String> find(Path bareRepository) {
    return Optional.ofNullable(byRepository.get(bareRepository));
  }
}
