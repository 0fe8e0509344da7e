package io.promokit.internal.validation;

import io.promokit.PlannedStep;
import io.promokit.Problem;
import io.promokit.RegisteredStep;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Every {@code uses} names a registered step; a miss suggests the closest names. */
final class UnknownStepCheck implements ValidationCheck {

  /** Above this many registered steps the message stops listing them all. */
  private static final int LIST_LIMIT = 20;

  @Override
  public void check(ValidationInput input, Consumer<Problem> problems) {
    for (PlannedStep step : input.plan().steps()) {
      if (input.registry().find(step.uses()).isEmpty()) {
        problems.accept(Problem.error(step.location(), step.alias(), "uses", message(input, step.uses())));
      }
    }
  }

  private static String message(ValidationInput input, String name) {
    List<String> closest = input.registry().closestNames(name, 3);
    StringBuilder message = new StringBuilder("unknown step \"").append(name).append('"');
    if (!closest.isEmpty()) {
      return message.append("; did you mean ")
          .append(closest.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(" or ")))
          .append('?').toString();
    }
    List<RegisteredStep> registered = input.registry().steps();
    if (registered.isEmpty()) {
      return message.append(" (no steps are registered)").toString();
    }
    if (registered.size() > LIST_LIMIT) {
      return message.append(" (none of the ").append(registered.size())
          .append(" registered steps has a similar name)").toString();
    }
    return message.append(" (registered steps: ")
        .append(registered.stream().map(RegisteredStep::name).collect(Collectors.joining(", "))).append(')')
        .toString();
  }
}
