package io.promokit.internal.documents;

import io.promokit.documents.DocumentException;
import io.promokit.expressions.ClosestNames;
import io.promokit.internal.yaml.YamlDocument;
import io.promokit.internal.yaml.YamlObject;
import io.promokit.internal.yaml.YamlValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The document kinds promokit reads, by apiVersion and kind, each with its {@link KindParser}; a document
 * with neither apiVersion nor kind is a bare template {@code {vars, steps}}. Immutable: {@link #with}
 * returns a copy.
 */
public final class DocumentKinds {

  public static final String KARGO = "kargo.akuity.io/v1alpha1";
  public static final String KARGO_EE = "ee.kargo.akuity.io/v1alpha1";
  public static final String PROMOKIT = "promokit.io/v1";
  public static final String CUSTOM_PROMOTION_STEP = "CustomPromotionStep";

  /** Kargo resources a folder of manifests often holds next to Stages; promokit has no use for them. */
  private static final List<String> OTHER_KARGO_KINDS =
      List.of("Project", "ProjectConfig", "ClusterConfig", "Warehouse", "Freight", "Promotion");

  /**
   * An apiVersion and a kind.
   *
   * @param apiVersion for example {@code kargo.akuity.io/v1alpha1}
   * @param kind for example {@code Stage}
   */
  public record Key(String apiVersion, String kind) {
    public Key {
      Objects.requireNonNull(apiVersion, "apiVersion must not be null");
      Objects.requireNonNull(kind, "kind must not be null");
    }

    // Written out: a record's generated equals and hashCode are bound on first call through
    // ObjectMethods.bootstrap, which cost a cold `promokit validate` about 5% of its start.
    @Override
    public boolean equals(Object other) {
      return other instanceof Key k && apiVersion.equals(k.apiVersion) && kind.equals(k.kind);
    }

    @Override
    public int hashCode() {
      return 31 * apiVersion.hashCode() + kind.hashCode();
    }

    @Override
    public String toString() {
      return apiVersion + " " + kind;
    }
  }

  private final Map<Key, KindParser> parsers;

  private DocumentKinds(Map<Key, KindParser> parsers) {
    this.parsers = Map.copyOf(parsers);
  }

  /** No kinds: only bare templates are read. */
  public static DocumentKinds empty() {
    return new DocumentKinds(Map.of());
  }

  /** Kargo's Stage, PromotionTask and ClusterPromotionTask, and CustomPromotionStep (both apiVersions). */
  public static DocumentKinds standard() {
    DocumentKinds kinds = empty()
        .with(KARGO, "Stage", TemplateParsers::stage)
        .with(KARGO, "PromotionTask", TemplateParsers::task)
        .with(KARGO, "ClusterPromotionTask", TemplateParsers::task)
        .with(KARGO_EE, CUSTOM_PROMOTION_STEP, CustomStepParser::parse)
        .with(PROMOKIT, CUSTOM_PROMOTION_STEP, CustomStepParser::parse);
    for (String kind : OTHER_KARGO_KINDS) {
      kinds = kinds.with(KARGO, kind, keepUnparsed("promokit has no use for a " + kind));
    }
    return kinds;
  }

  /** A copy with {@code parser} for the apiVersion and kind (replacing any other parser for them). */
  public DocumentKinds with(String apiVersion, String kind, KindParser parser) {
    Objects.requireNonNull(parser, "parser must not be null");
    Map<Key, KindParser> copy = new LinkedHashMap<>(parsers);
    copy.put(new Key(apiVersion, kind), parser);
    return new DocumentKinds(copy);
  }

  public Optional<KindParser> find(String apiVersion, String kind) {
    return Optional.ofNullable(parsers.get(new Key(apiVersion, kind)));
  }

  /** A parser that keeps the document, located, in {@link LoadedDocuments#unparsed()}. */
  public static KindParser keepUnparsed(String note) {
    Objects.requireNonNull(note, "note must not be null");
    return (document, root, out) -> out.unparsed(new LoadedDocuments.Unparsed(document,
        root.optionalString("apiVersion"), root.optionalString("kind"), metadataName(root), note));
  }

  /** {@code metadata.name}, or null when not written. */
  static String metadataName(YamlObject root) {
    return root.optionalObject("metadata").map(metadata -> metadata.optionalString("name")).orElse(null);
  }

  /**
   * Hands a document to the parser of its kind.
   *
   * @throws DocumentException when the document is not a mapping, names an unknown kind or apiVersion, or
   *     its parser rejects it
   */
  public void parse(YamlDocument document, LoadedDocuments.Builder out) {
    YamlValue rootValue = document.value();
    if (!rootValue.isMapping()) {
      throw rootValue.error("a document must be a mapping (a promotion template, a Kargo Stage, PromotionTask,"
          + " ClusterPromotionTask or a CustomPromotionStep), but was " + rootValue.node().describe());
    }
    YamlObject root = rootValue.asObject();
    if (!root.has("apiVersion") && !root.has("kind")) {
      TemplateParsers.bareTemplate(document, root, out);
      return;
    }
    String apiVersion = root.requiredString("apiVersion");
    String kind = root.requiredString("kind");
    Optional<KindParser> parser = find(apiVersion, kind);
    if (parser.isPresent()) {
      parser.get().parse(document, root, out);
      return;
    }
    List<String> apiVersionsOfKind = parsers.keySet().stream()
        .filter(key -> key.kind().equals(kind)).map(Key::apiVersion).sorted().toList();
    if (!apiVersionsOfKind.isEmpty()) {
      throw root.error("apiVersion", "unsupported apiVersion \"" + apiVersion + "\" for kind " + kind
          + "; expected " + String.join(" or ", apiVersionsOfKind));
    }
    List<String> kinds = parsers.keySet().stream().map(Key::kind).distinct().sorted().toList();
    String suggestion = ClosestNames.didYouMean(kind, kinds);
    throw root.error("kind", "unsupported kind \"" + kind + "\"" + (suggestion.isEmpty() ? "" : "; " + suggestion)
        + " (promokit reads bare templates {vars, steps}, and Stage, PromotionTask, ClusterPromotionTask and"
        + " CustomPromotionStep documents)");
  }
}
