package io.promokit.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Messages in the forms the kubelet passes on from containerd and CRI-O. */
class ImagePullErrorsTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nope:1\": failed to "
          + "resolve reference \"docker.io/library/nope:1\": docker.io/library/nope:1: not found",
      "rpc error: code = Unknown desc = failed to pull and unpack image \"docker.io/acme/private:1\": failed to "
          + "resolve reference \"docker.io/acme/private:1\": pull access denied, repository does not exist or may "
          + "require authorization: server message: insufficient_scope: authorization failed",
      "rpc error: code = Unknown desc = failed to pull and unpack image \"registry.local:5000/app:1\": failed to "
          + "resolve reference \"registry.local:5000/app:1\": unexpected status from HEAD request: 401 Unauthorized",
      "rpc error: code = Unknown desc = Error response from daemon: manifest for registry.local/app:9 not found: "
          + "manifest unknown: manifest unknown",
      "rpc error: code = Unknown desc = reading manifest 1 in quay.io/acme/app: unauthorized: access to the "
          + "requested resource is not authorized",
      "rpc error: code = Unknown desc = failed to pull and unpack image \"r.example/app:1\": failed to resolve "
          + "reference \"r.example/app:1\": unexpected status from HEAD request: 403 Forbidden"
  })
  void missingImagesAndDeniedAccessAreLasting(String message) {
    assertThat(ImagePullErrors.isLasting(message)).isTrue();
  }

  /** Names are no evidence: CI once ran its registry on a port holding "429" and read a missing tag as passing. */
  @ParameterizedTest
  @ValueSource(strings = {
      "rpc error: code = Unknown desc = Head \"http://127.0.0.1:42913/v2/promokit/step/manifests/1\": no basic "
          + "auth credentials",
      "rpc error: code = Unknown desc = manifest for 127.0.0.1:50213/promokit/step:404 not found: manifest unknown: "
          + "manifest unknown",
      "rpc error: code = Unknown desc = manifest for registry.local:5000/acme/timeout-check:1 not found",
      "rpc error: code = Unknown desc = reading manifest 503 in quay.io/acme/app: unauthorized",
      "rpc error: code = Unknown desc = failed to pull and unpack image \"r.example/connection-refused:1\": "
          + "unexpected status code 404",
      "rpc error: code = Unknown desc = unexpected status code 401 from 127.0.0.1:42999",
      "rpc error: code = Unknown desc = Error response from daemon: error parsing HTTP 403 response body: invalid "
          + "character '<' looking for beginning of value: \"<html><body>403 Forbidden</body></html>\"",
      "rpc error: code = Unknown desc = unexpected status:404 from registry:5000"
  })
  void portsTagsAndImageNamesDoNotDecide(String message) {
    assertThat(ImagePullErrors.isLasting(message)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "rpc error: code = Unknown desc = Get \"http://127.0.0.1:40113/v2/\": dial tcp 127.0.0.1:40113: connect: "
          + "connection refused",
      "rpc error: code = Unknown desc = failed to pull and unpack image \"r.example/not-found:1\": unexpected "
          + "status code 429",
      "rpc error: code = Unknown desc = reading manifest 404 in quay.io/acme/denied: status: 502",
      "rpc error: code = Unknown desc = unexpected status:429 from [::1]:5000",
      "rpc error: code = Unknown desc = error parsing HTTP 503 response body: unexpected end of JSON input: \"\""
  })
  void aPassingCauseIsFoundBesideNamesThatSayOtherwise(String message) {
    assertThat(ImagePullErrors.isLasting(message)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "rpc error: code = Unknown desc = failed to pull and unpack image \"registry.local:5000/app:1\": failed to "
          + "resolve reference \"registry.local:5000/app:1\": failed to do request: Head "
          + "\"https://registry.local:5000/v2/app/manifests/1\": dial tcp 10.0.0.7:5000: connect: connection refused",
      "rpc error: code = Unknown desc = failed to pull and unpack image \"r.example/app:1\": failed to resolve "
          + "reference \"r.example/app:1\": failed to authorize: failed to fetch anonymous token: Get "
          + "\"https://auth.r.example/token\": dial tcp: lookup auth.r.example: no such host",
      "rpc error: code = Unknown desc = failed to pull and unpack image \"r.example/app:1\": unexpected status "
          + "from GET request: 503 Service Unavailable",
      "rpc error: code = Unknown desc = toomanyrequests: You have reached your pull rate limit.",
      "rpc error: code = DeadlineExceeded desc = context deadline exceeded: i/o timeout",
      "something nobody has seen before",
      ""
  })
  void unreachableOrFailingRegistriesAndUnknownErrorsMayPass(String message) {
    assertThat(ImagePullErrors.isLasting(message)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Back-off pulling image \"r.example/app:1\"", "Back-off pulling image \"x\".", ""})
  void theBareBackOffNoticeHasNoCause(String message) {
    assertThat(ImagePullErrors.isBackOffNotice(message)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Back-off pulling image \"r.example/app:1\": ErrImagePull: manifest unknown"})
  void aBackOffNoticeWithACauseIsUsedAsTheCause(String message) {
    assertThat(ImagePullErrors.isBackOffNotice(message)).isFalse();
  }

  @Test
  void aFailedEventGivesTheCauseTheWaitingStateGives() {
    String cause = "rpc error: code = NotFound desc = failed to pull and unpack image \"r.example/app:1\": not found";
    assertThat(ImagePullErrors.causeOf("Failed to pull image \"r.example/app:1\": " + cause)).isEqualTo(cause);
    assertThat(ImagePullErrors.causeOf("Failed to pull image with no image named")).isEqualTo(
        "Failed to pull image with no image named");
  }
}
