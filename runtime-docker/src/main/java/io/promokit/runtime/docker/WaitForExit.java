package io.promokit.runtime.docker;

import com.github.dockerjava.api.model.WaitResponse;

/** The response of the daemon's wait endpoint: the exit code once the container has stopped. */
final class WaitForExit extends StreamCallback<WaitResponse> {

  private volatile Integer statusCode;

  @Override
  public void onNext(WaitResponse response) {
    if (response != null && response.getStatusCode() != null) {
      statusCode = response.getStatusCode();
    }
  }

  /** The exit code, or null when the wait ended without one. */
  Integer statusCode() {
    return statusCode;
  }
}
