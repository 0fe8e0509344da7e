package io.promokit.internal;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.util.EnumMap;
import java.util.Map;

/**
 * One JSON Schema dialect (draft 2020-12, 2019-09, 7...) as {@link JsonSchemaChecker} compiles against it: a
 * networknt {@link SchemaRegistry} and the dialect's meta-schema, compiled once and shared by every schema of
 * that dialect. A registry per schema loaded and compiled the meta-schema (and its vocabularies) again for each
 * step schema, which was a quarter of a {@code promokit validate} start.
 *
 * <p>Sharing is safe across threads: networknt documents registries and the schemas made from them as
 * thread-safe once configured (json-schema-validator 2.0.x README), and in 2.0.8 the registry caches loaded
 * schemas in a ConcurrentHashMap filled under its own lock, and resolved references sit behind
 * ThreadSafeCachingSupplier. What networknt's {@code Schema} does lazily without a lock is building its
 * validator list ({@code getValidators}, {@code initializeValidators}), and validation may still resolve a
 * {@code $dynamicRef} or a second reference cycle on first use. So the meta-schema is fully initialised before
 * it is published (made and handed out under {@link #compileLock()}), and a schema is checked against it and
 * compiled under {@link #compileLock()}, since both may reach shared meta-schema parts and initialise them.
 * Each schema compiles once, so serialising compiles costs nothing measurable.
 *
 * <p>Only the bundled meta-schemas may be loaded: a schema never makes the engine read a file or the network.
 */
final class SchemaDialect {

  private static final Map<SpecificationVersion, SchemaDialect> DIALECTS = new EnumMap<>(SpecificationVersion.class);

  private final SpecificationVersion version;
  private final SchemaRegistry registry;
  private Schema metaSchema;

  private SchemaDialect(SpecificationVersion version) {
    SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
    this.registry = SchemaRegistry.withDefaultDialect(version, builder -> builder
        .schemaRegistryConfig(config)
        .schemaLoader(loader -> loader.block(iri -> !isMetaSchema(iri.toString()))));
    this.version = version;
  }

  /** The dialect, its registry and meta-schema made on first use (each dialect once per JVM). */
  static SchemaDialect of(SpecificationVersion version) {
    synchronized (DIALECTS) {
      return DIALECTS.computeIfAbsent(version, SchemaDialect::new);
    }
  }

  /** The registry that compiles schemas of this dialect; use it under {@link #compileLock()}. */
  SchemaRegistry registry() {
    return registry;
  }

  /**
   * The dialect's meta-schema, compiled with every validator initialised on first call (a process that compiles
   * only promokit's own schemas, which the build checks, never loads it). Call under {@link #compileLock()}.
   */
  Schema metaSchema() {
    if (metaSchema == null) {
      Schema meta = registry.getSchema(SchemaLocation.of(version.getDialectId()));
      meta.initializeValidators();
      metaSchema = meta;
    }
    return metaSchema;
  }

  /** Held while a schema of this dialect is checked against the meta-schema and compiled. */
  Object compileLock() {
    return registry;
  }

  private static boolean isMetaSchema(String iri) {
    return iri.startsWith("https://json-schema.org/draft/") || iri.startsWith("http://json-schema.org/draft");
  }
}
