package io.promokit.runtime.k8s;

/** Names and paths inside every step Pod. */
final class PodLayout {
  /** The step's container. */
  static final String STEP_CONTAINER = "step";
  /** The init container that copies the static helper into {@link #HELPER_DIR}. */
  static final String INIT_CONTAINER = "promokit-init";

  /** The emptyDir shared by the init and step containers: helper binary, output file, stderr pipe. */
  static final String HELPER_VOLUME = "promokit";
  static final String HELPER_DIR = "/promokit";
  static final String HELPER_BINARY = HELPER_DIR + "/busybox";
  /** {@code KARGO_OUTPUT}: outside {@code /workspace}, so it never lands in the shared workdir. */
  static final String OUTPUT_FILE = HELPER_DIR + "/output";
  static final String STDERR_FIFO = HELPER_DIR + "/stderr";

  static final String WORKSPACE_VOLUME = "workspace";

  /** The memory-backed, size-bounded {@code /tmp}: the root filesystem is read-only. */
  static final String TMP_VOLUME = "promokit-tmp";

  /** Marks Pods without network; {@link #NO_NETWORK_POLICY} selects them. */
  static final String NETWORK_LABEL = "promokit.io/network";
  static final String NETWORK_NONE = "none";
  /** The namespace's NetworkPolicy that denies all traffic to and from Pods labelled {@link #NETWORK_LABEL}=none. */
  static final String NO_NETWORK_POLICY = "promokit-network-none";

  /** The per-attempt Secret's files, read-only. */
  static final String FILES_VOLUME = "promokit-files";
  static final String FILES_DIR = "/promokit-files";

  /** Annotation holding the attempt's random id: tells our own objects from leftovers with the same name. */
  static final String ATTEMPT_ID_ANNOTATION = "promokit.io/attempt-id";

  private PodLayout() {}

  /** The name of the Secret that holds a Pod's env values and files. */
  static String secretName(String podName) {
    return podName + "-promokit";
  }
}
