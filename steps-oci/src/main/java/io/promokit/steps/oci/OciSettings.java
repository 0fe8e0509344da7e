package io.promokit.steps.oci;

import io.promokit.StepContext;
import io.promokit.spi.CredentialsProvider;
import io.promokit.spi.DockerConfigCredentials;

/**
 * What an {@link OciSteps} was built with, shared by its two steps: where credentials come from, the transport
 * (HTTP clients, time limits, plain-HTTP rules) and the size limits.
 *
 * @param maxPushBytes the cross-repository copy limit: 0 refuses every cross-repository copy, a negative value
 *     means no limit
 */
record OciSettings(CredentialsProvider credentials, DockerConfigCredentials dockerConfig, RegistryTransport transport,
    long maxDownloadBytes, long maxPushBytes) {

  /** A registry session for one reference, for this attempt, with the reference's credentials. */
  Registry registry(StepContext context, OciReference reference, boolean skipTlsVerify) {
    return registry(context, new Cancellation(context), reference, skipTlsVerify);
  }

  Registry registry(StepContext context, Cancellation cancellation, OciReference reference, boolean skipTlsVerify) {
    Login login = Login.find(reference, credentials, dockerConfig, context.masker());
    return new Registry(new RegistrySession(transport, reference.apiHost(), skipTlsVerify, login, context.masker(),
        context.clock(), cancellation, context.deadline()));
  }
}
