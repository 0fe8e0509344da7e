/**
 * Testing pipelines and runtimes: {@link io.promokit.testkit.FakeContainerRuntime}, {@link
 * io.promokit.testkit.TestStepContext}, {@link io.promokit.testkit.ManualClock}, {@link
 * io.promokit.testkit.ContainerRuntimeContractTest} (docs/testing-your-pipeline.md). Everything is non-null
 * unless marked {@code @Nullable}.
 */
@NullMarked
package io.promokit.testkit;

import org.jspecify.annotations.NullMarked;
