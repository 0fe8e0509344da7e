package io.promokit.cli;

import io.promokit.RegisteredStep;
import io.promokit.steps.files.FileSteps;
import io.promokit.steps.manifests.ManifestSteps;
import java.util.ArrayList;
import java.util.List;

/**
 * The step modules a command registers besides core's built-ins, each with its default settings, made per
 * command. Closing it releases what the modules hold (the Helm folder under java.io.tmpdir that the manifest
 * steps extract on first use; ManifestSteps.reap removes it after a crash): {@code run} hands it to its engine,
 * which closes it when the promotion is over (also on Ctrl-C); {@code validate} and {@code steps} close it
 * themselves.
 */
final class StepModules implements AutoCloseable {

  private final ManifestSteps manifests = ManifestSteps.create();
  private final FileSteps files = FileSteps.create();

  /** Every module step, in the order the modules are listed here. */
  List<RegisteredStep> steps() {
    List<RegisteredStep> steps = new ArrayList<>();
    steps.addAll(manifests.steps());
    steps.addAll(files.steps());
    return steps;
  }

  @Override
  public void close() {
    manifests.close();
  }

  @Override
  public String toString() {
    return "the step modules (manifests, files)";
  }
}
