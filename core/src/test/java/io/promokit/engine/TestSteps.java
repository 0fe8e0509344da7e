package io.promokit.engine;

import io.promokit.documents.PlannedStep;
import io.promokit.documents.PromotionPlan;
import io.promokit.documents.RetrySpec;
import io.promokit.documents.SourceLocation;
import io.promokit.StepException;
import io.promokit.StepOptions;
import io.promokit.StepRegistry;
import io.promokit.StepResult;
import io.promokit.documents.VarSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** In-process steps and a small plan builder for the executor's tests. */
final class TestSteps {

  /** Config each invocation saw, by alias, in order. */
  final Map<String, List<Map<String, Object>>> invocations = new ConcurrentHashMap<>();
  /** Started when a "block" step is running. */
  final CountDownLatch blocking = new CountDownLatch(1);

  StepRegistry registry() {
    return registry(StepOptions.DEFAULTS);
  }

  StepRegistry registry(StepOptions okOptions) {
    return StepRegistry.builder()
        .register("ok", ctx -> {
          seen(ctx.alias(), ctx.config());
          return StepResult.succeeded(ctx.config());
        }, okOptions)
        .register("compose-output", ctx -> StepResult.succeeded(ctx.config()))
        .register("fail", ctx -> {
          seen(ctx.alias(), ctx.config());
          return StepResult.failed(String.valueOf(ctx.config().getOrDefault("message", "it failed")));
        })
        .register("boom", ctx -> {
          seen(ctx.alias(), ctx.config());
          throw new StepException(String.valueOf(ctx.config().getOrDefault("message", "boom")));
        })
        .register("terminal", ctx -> {
          seen(ctx.alias(), ctx.config());
          throw StepException.terminal("cannot go on");
        })
        .register("flaky", ctx -> {
          seen(ctx.alias(), ctx.config());
          int failures = ((Number) ctx.config().get("failures")).intValue();
          if (ctx.attempt() <= failures) {
            throw new StepException("attempt " + ctx.attempt() + " failed");
          }
          return StepResult.succeeded(Map.of("attempt", ctx.attempt()));
        })
        .register("poll", ctx -> {
          seen(ctx.alias(), ctx.config());
          int polls = ((Number) ctx.config().get("polls")).intValue();
          if (ctx.attempt() < polls) {
            return StepResult.running(Duration.ofMillis(5), Map.of("attempt", ctx.attempt()), "waiting");
          }
          return StepResult.succeeded(Map.of("attempt", ctx.attempt()));
        })
        .register("wait-later", ctx -> {
          seen(ctx.alias(), ctx.config());
          if (ctx.attempt() == 1) {
            return StepResult.running(Duration.ofHours(1), Map.of(), "come back later");
          }
          return StepResult.succeeded(Map.of("startedAt", ctx.startedAt().toString()));
        })
        .register("block", ctx -> {
          seen(ctx.alias(), ctx.config());
          blocking.countDown();
          Thread.sleep(Long.MAX_VALUE);
          return StepResult.succeeded();
        })
        .build();
  }

  private void seen(String alias, Map<String, Object> config) {
    invocations.computeIfAbsent(alias, a -> new CopyOnWriteArrayList<>()).add(config);
  }

  int count(String alias) {
    return invocations.getOrDefault(alias, List.of()).size();
  }

  // ---- plans ----

  static PlanBuilder plan() {
    return new PlanBuilder();
  }

  static final class PlanBuilder {
    private final List<VarSpec> vars = new ArrayList<>();
    private final List<PlannedStep> steps = new ArrayList<>();

    PlanBuilder var(String name, Object value) {
      vars.add(VarSpec.of(name, value));
      return this;
    }

    PlanBuilder step(StepBuilder step) {
      steps.add(step.build(steps.size() + 1));
      return this;
    }

    PromotionPlan build() {
      return new PromotionPlan("test", vars, steps);
    }
  }

  static StepBuilder step(String uses) {
    return new StepBuilder(uses);
  }

  static final class StepBuilder {
    private final String uses;
    private String alias;
    private String task;
    private String taskAlias;
    private String condition;
    private boolean continueOnError;
    private RetrySpec retry = RetrySpec.DEFAULTS;
    private final List<VarSpec> vars = new ArrayList<>();
    private final Map<String, Object> config = new LinkedHashMap<>();

    StepBuilder(String uses) {
      this.uses = uses;
    }

    StepBuilder as(String alias) {
      this.alias = alias;
      return this;
    }

    /** Makes it a step inflated from a task: alias {@code taskAlias::alias}. */
    StepBuilder inTask(String task, String taskAlias) {
      this.task = task;
      this.taskAlias = taskAlias;
      return this;
    }

    StepBuilder when(String condition) {
      this.condition = condition;
      return this;
    }

    StepBuilder continueOnError() {
      this.continueOnError = true;
      return this;
    }

    StepBuilder retry(int errorThreshold, Duration timeout) {
      this.retry = new RetrySpec(errorThreshold, timeout);
      return this;
    }

    StepBuilder var(String name, Object value) {
      vars.add(VarSpec.of(name, value));
      return this;
    }

    StepBuilder config(String key, Object value) {
      config.put(key, value);
      return this;
    }

    PlannedStep build(int position) {
      String inner = alias != null ? alias : "step-" + position;
      String full = taskAlias == null ? inner : taskAlias + "::" + inner;
      return new PlannedStep(full, uses, task, taskAlias, condition, continueOnError, retry, vars, config,
          new SourceLocation("test.yaml", position, 1));
    }
  }
}
