package io.promokit.expressions;

/**
 * Answers Kargo's freight functions. promokit has no warehouse of its own: a host that tracks artifacts
 * implements this. Without one, each of these functions fails with a message naming it. Arguments that an
 * expression omits arrive as {@code null}. Results are plain values (maps, lists, strings).
 */
public interface FreightLookup {

  /** {@code warehouse(name)}: an origin reference to pass to the other functions. */
  Object warehouse(String name);

  /** {@code commitFrom(repoURL[, origin])}. */
  Object commitFrom(String repoUrl, Object origin);

  /** {@code imageFrom(repoURL[, origin])}. */
  Object imageFrom(String repoUrl, Object origin);

  /** {@code chartFrom(repoURL[, chartName][, origin])}. */
  Object chartFrom(String repoUrl, String chartName, Object origin);

  /** {@code freightMetadata(freightName)}. */
  Object freightMetadata(String freightName);

  /** {@code stageMetadata(stageName)}. */
  Object stageMetadata(String stageName);
}
