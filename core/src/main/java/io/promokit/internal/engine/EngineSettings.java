package io.promokit.internal.engine;

import io.promokit.BackoffPolicy;
import io.promokit.PromotionContext;
import io.promokit.PromotionPlan;
import io.promokit.StepRegistry;
import io.promokit.Timekeeper;
import io.promokit.event.PromotionListener;
import io.promokit.expressions.ConfigMapSource;
import io.promokit.expressions.ExpressionResolver;
import io.promokit.expressions.FreightLookup;
import io.promokit.expressions.SecretSource;
import io.promokit.spi.CapabilityProvider;
import io.promokit.spi.ContainerRuntime;
import io.promokit.spi.FreightAliasService;
import io.promokit.spi.PromotionMetadataSink;
import io.promokit.spi.PullSecretSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * Everything a {@link io.promokit.PromotionSequence} was built with; shared by its runs. {@code metadataSink} and
 * {@code freightAliases} are null when the host gave none.
 */
public record EngineSettings(
    PromotionPlan plan,
    StepRegistry registry,
    ContainerRuntime containerRuntime,
    ExpressionResolver resolver,
    SecretSource secrets,
    ConfigMapSource configMaps,
    FreightLookup freight,
    List<PromotionListener> listeners,
    Path workdir,
    Path workdirRoot,
    boolean keepWorkdir,
    PromotionContext context,
    BackoffPolicy backoff,
    String engineId,
    CapabilityProvider capabilities,
    PullSecretSource pullSecrets,
    ExecutorService executor,
    Duration cancelGrace,
    Timekeeper timekeeper,
    PromotionMetadataSink metadataSink,
    FreightAliasService freightAliases) {}
