/**
 * Promotion documents: {@link io.promokit.documents.PromotionDocuments} reads templates, tasks and step
 * definitions (files, folders, text, streams, URLs, class path resources) into a {@link
 * io.promokit.documents.DocumentSet}; the document model ({@link io.promokit.documents.PromotionTemplate},
 * {@link io.promokit.documents.StepSpec}, ...), the inflated {@link io.promokit.documents.PromotionPlan}, and
 * {@link io.promokit.documents.Problem}s with their {@link io.promokit.documents.SourceLocation}. Everything is
 * non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.promokit.documents;

import org.jspecify.annotations.NullMarked;
