/**
 * The {@code ${{ }}} expressions (EXPRESSIONS.md): {@link io.promokit.expressions.ExpressionResolver} evaluates
 * templates, config trees and bare expressions in expr-lang syntax; {@link
 * io.promokit.expressions.SecretMasker} masks secret values; no JEXL type appears here. Everything is non-null
 * unless marked {@code @Nullable}.
 */
@NullMarked
package io.promokit.expressions;

import org.jspecify.annotations.NullMarked;
