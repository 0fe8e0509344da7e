package io.promokit.steps.kit;

import io.promokit.StepContext;
import io.promokit.StepResult;

/**
 * A step whose config arrives bound to a type of its own, once the engine has checked it against the
 * step's schema. Register it with {@link StepDefinition.Builder#run(Class, TypedStep)}. Like a
 * {@link io.promokit.StepRuntime}, one instance serves every promotion, possibly on several threads at once.
 *
 * @param <C> the config type: a record (or a bean) with one component per config field
 */
@FunctionalInterface
public interface TypedStep<C> {

  /**
   * Runs one attempt.
   *
   * @param context what the attempt sees (workdir, deadline, log, previous outputs, ...)
   * @param config the evaluated config, bound with {@link ConfigBinder}
   * @return succeeded, failed or running, as {@link io.promokit.StepRuntime#execute} returns
   * @throws InvalidConfigException when the config breaks a rule of the step's own (the step fails)
   * @throws Exception as {@link io.promokit.StepRuntime#execute} throws
   */
  StepResult execute(StepContext context, C config) throws Exception;
}
