package io.promokit.steps.manifests.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads rendered multi-document YAML into resources, and writes one resource back with its keys sorted. */
public final class YamlDocuments {

  private static final ObjectMapper READER = new ObjectMapper(new YAMLFactory());

  /** As sigs.k8s.io/yaml writes a resource: keys sorted, two-space indentation, lists not indented. */
  private static final ObjectMapper SORTED_WRITER = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private YamlDocuments() {}

  /**
   * The documents of a YAML stream that hold a map, in order; empty documents are skipped.
   *
   * @throws IOException when the text is not YAML, or a document is not a map
   */
  @SuppressWarnings("unchecked")
  public static List<Resource> read(String text) throws IOException {
    List<Resource> resources = new ArrayList<>();
    try (MappingIterator<Object> documents = READER.readerFor(Object.class).readValues(text)) {
      int index = 0;
      while (documents.hasNextValue()) {
        Object document = documents.nextValue();
        index++;
        if (document == null) {
          continue;
        }
        if (!(document instanceof Map<?, ?> map)) {
          throw new IOException("document " + index + " is not a map");
        }
        resources.add(new Resource(new LinkedHashMap<>((Map<String, Object>) map)));
      }
    }
    return resources;
  }

  /** The resource as YAML with every map's keys sorted alphabetically. */
  public static String sorted(Resource resource) {
    try {
      return SORTED_WRITER.writeValueAsString(resource.fields());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a resource read from YAML could not be written back: " + e.getMessage(), e);
    }
  }
}
