package io.promokit.runtime.k8s;

/**
 * Pull failure messages as tests compare them. The runtime names the state it saw the failure in:
 * {@code ErrImagePull} if it saw the Pod while pulling, {@code ImagePullBackOff} if the kubelet was already
 * backing off (on a loaded machine the watch can start after the first failure); the cause is the same.
 */
final class PullFailures {
  private PullFailures() {}

  /** The message with the back-off reason read as the pull reason. */
  static String eitherReason(Throwable failure) {
    return failure.getMessage().replace(" (ImagePullBackOff): ", " (ErrImagePull): ");
  }
}
