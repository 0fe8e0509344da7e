package io.promokit.internal.engine;

import io.promokit.BackoffPolicy;
import io.promokit.StepRegistry;
import io.promokit.Timekeeper;
import io.promokit.event.PromotionListener;
import io.promokit.expressions.ConfigMapSource;
import io.promokit.expressions.FreightLookup;
import io.promokit.expressions.SecretSource;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.FreightAliasService;
import io.promokit.spi.PromotionMetadataSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * What a {@link io.promokit.PromotionEngine} was built with: the same for every promotion it runs, for the
 * engine's whole life.
 *
 * @param registry the steps templates may use
 * @param containerRuntime runs container steps, or null when the host gave none
 * @param bindings every registered step bound to what runs it (container steps to the runtime), once
 * @param secrets answers {@code secret()}
 * @param configMaps answers {@code configMap()}
 * @param freight answers the freight functions, or null
 * @param listeners the engine's listeners, called for every promotion before the promotion's own
 * @param workdirRoot where engine-created working directories go, or null for the system's temporary folder
 * @param workdirLedger lists the working directories the engine made and will delete, for {@code reap}
 * @param backoff retry backoff and default polling delay
 * @param engineId labels containers, for {@code reap}
 * @param executor the threads step attempts run on
 * @param cancelGrace how long a cancelled attempt gets before it is left behind
 * @param timekeeper the time the engine runs on
 * @param metadataSink where {@code set-metadata} writes, or null (then each run's record holds the values)
 * @param freightAliases gives Freight aliases for {@code set-freight-alias}, or null
 */
public record EngineSettings(
    StepRegistry registry,
    ContainerRuntime containerRuntime,
    StepBindings bindings,
    SecretSource secrets,
    ConfigMapSource configMaps,
    FreightLookup freight,
    List<PromotionListener> listeners,
    Path workdirRoot,
    WorkdirLedger workdirLedger,
    BackoffPolicy backoff,
    String engineId,
    ExecutorService executor,
    Duration cancelGrace,
    Timekeeper timekeeper,
    PromotionMetadataSink metadataSink,
    FreightAliasService freightAliases) {

  public EngineSettings {
    listeners = List.copyOf(listeners);
  }
}
