package io.promokit.internal.engine;

import io.promokit.PromotionContext;
import io.promokit.Timekeeper;
import io.promokit.expressions.SecretMasker;
import io.promokit.spi.FreightAliasService;
import io.promokit.spi.PromotionMetadataSink;
import java.nio.file.Path;

/**
 * What the step contexts of one run share: the promotion, its working directory, its outputs, expression
 * scopes, masker, clock and listeners, where {@code set-metadata} writes (the host's sink, else the run's record)
 * and the host's Freight alias service (or null).
 */
record RunServices(
    PromotionContext context,
    Path workdir,
    OutputStore outputs,
    ExpressionScopes scopes,
    SecretMasker masker,
    Timekeeper timekeeper,
    Listeners listeners,
    PromotionMetadataSink metadataSink,
    FreightAliasService freightAliases) {}
