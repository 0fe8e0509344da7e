package io.promokit.internal.engine;

import io.promokit.PromotionContext;
import io.promokit.Timekeeper;
import io.promokit.expressions.SecretMasker;
import java.nio.file.Path;

/**
 * What the step contexts of one run share: the promotion, its working directory, its outputs, expression
 * scopes, masker, clock and listeners.
 */
record RunServices(
    PromotionContext context,
    Path workdir,
    OutputStore outputs,
    ExpressionScopes scopes,
    SecretMasker masker,
    Timekeeper timekeeper,
    Listeners listeners) {}
