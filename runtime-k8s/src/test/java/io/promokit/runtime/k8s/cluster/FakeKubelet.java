package io.promokit.runtime.k8s.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Plays the kubelet (and the scheduler) of a one-node cluster for fabric8's mock API server: it watches the
 * Pods created in a namespace and takes them through what a real node does, running their containers for
 * real in Docker. Scheduling honours node selector, taints and memory requests; image pulls use local
 * images (anything else is "not found", unless a test scripts other failures); the init container and the
 * step container run in Docker with the Pod's env (Secrets resolved, {@code $(VAR)} expanded), user,
 * groups, fsGroup, resources and volumes (claims are host directories, emptyDirs and Secret volumes temporary
 * ones); statuses move through Pending/ContainerCreating, Running, Succeeded/Failed with exit codes and
 * OOMKilled; Events are posted; logs are served as a live stream; deletion is graceful (a finalizer holds
 * the Pod while its container gets SIGTERM and, after the grace period, SIGKILL).
 */
public final class FakeKubelet implements AutoCloseable {
  public static final String NODE = "fake-node";
  private static final String FINALIZER = "fake-kubelet.promokit.io/node";
  private static final String CONTAINER_LABEL = "promokit-k8s-fake-kubelet";
  /** How long an API call is tried again while it fails for a passing reason. */
  private static final Duration API_PATIENCE = Duration.ofMinutes(2);
  private static final Pattern REFERENCE = Pattern.compile(
      "(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
          + "(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");

  private final KubernetesClient client;
  private final String namespace;
  private final Path scratch;
  private final String id = Long.toHexString(System.nanoTime());
  private final Map<String, Path> claims = new ConcurrentHashMap<>();
  private final Map<String, PodRun> runs = new ConcurrentHashMap<>();
  private final Map<String, Long> deleteGrace = new ConcurrentHashMap<>();
  private final Map<String, Deque<String>> scriptedPulls = new ConcurrentHashMap<>();
  private final Map<String, String> nodeLabels = new ConcurrentHashMap<>(
      Map.of("kubernetes.io/hostname", NODE, "kubernetes.io/os", "linux"));
  private final Map<String, String> taints = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> held = new ConcurrentHashMap<>();
  private volatile long memoryCapacity = 4L << 30;
  private final SharedIndexInformer<Pod> informer;

  /**
   * @param client a client straight to the mock API server (not through the front)
   */
  public FakeKubelet(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    try {
      this.scratch = Files.createTempDirectory("fake-kubelet-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        admit(pod);
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        PodRun run = runs.get(pod.getMetadata().getName());
        if (run != null && pod.getMetadata().getDeletionTimestamp() != null) {
          run.deleting.complete(null);
        }
      }

      @Override
      public void onDelete(Pod pod, boolean unknown) {
        PodRun run = runs.get(pod.getMetadata().getName());
        if (run != null && run.uid.equals(pod.getMetadata().getUid())) {
          run.removed = true;
          run.deleting.complete(null);
        }
      }
    }, 0);
  }

  // ---- what a test can set ----

  /** A PersistentVolumeClaim, backed by a host directory. */
  public void claim(String name, Path hostDir) {
    claims.put(name, hostDir);
  }

  /** Taints the node ({@code key=value:NoSchedule}). */
  public void taint(String key, String value) {
    taints.put(key, value);
  }

  public void untaint(String key) {
    taints.remove(key);
  }

  public void nodeLabel(String key, String value) {
    nodeLabels.put(key, value);
  }

  public void memoryCapacity(long bytes) {
    this.memoryCapacity = bytes;
  }

  /** The next pulls of the image fail with these messages, in order; later pulls work as usual. */
  public void scriptPulls(String image, List<String> failures) {
    scriptedPulls.put(image, new ConcurrentLinkedDeque<>(failures));
  }

  /** Makes the kubelet stop before it creates the step container of this Pod, until {@link #release}. */
  public void hold(String pod) {
    holds.put(pod, new CountDownLatch(1));
    held.put(pod, new CompletableFuture<>());
  }

  /** Waits until the kubelet reached the hold of this Pod. */
  public void awaitHeld(String pod) throws Exception {
    held.get(pod).get(60, TimeUnit.SECONDS);
  }

  public void release(String pod) {
    holds.get(pod).countDown();
  }

  /** Evicts a Pod as the kubelet does under node pressure: kills its containers and fails it. */
  public void evict(String pod, String message) {
    PodRun run = runs.get(pod);
    if (run != null) {
      run.evicted = message;
      if (run.stepId != null) {
        Docker.run(List.of("kill", run.stepId), 60);
      }
    }
  }

  /** Called by the API front before a Pod deletion reaches the mock. */
  public void deleting(String ns, String pod, Long graceSeconds) {
    if (namespace.equals(ns) && graceSeconds != null) {
      deleteGrace.put(pod, graceSeconds);
    }
  }

  /** Deletes a Pod as someone else would: at once ({@code force}) or gracefully. */
  public void deleteBehindTheBack(String pod, boolean force) {
    if (force) {
      removeFinalizer(pod);
      client.pods().inNamespace(namespace).withName(pod).withGracePeriod(0).delete();
    } else {
      deleteGrace.put(pod, 30L);
      client.pods().inNamespace(namespace).withName(pod).withGracePeriod(30).delete();
    }
  }

  /** The Docker id of a Pod's step container, once it started. */
  public Optional<String> stepContainerId(String pod) {
    PodRun run = runs.get(pod);
    return run == null ? Optional.empty() : Optional.ofNullable(run.stepId);
  }

  /** Whether every Pod this kubelet ran is gone and its containers removed. */
  public boolean idle() {
    return runs.isEmpty();
  }

  // ---- serving logs (called by the API front) ----

  /** Streams a Pod's step log as the kubelet does: stdout and stderr merged, following when asked. */
  public void serveLog(String ns, String pod, Map<String, String> query, HttpReply reply) throws IOException {
    PodRun run = runs.get(pod);
    if (!namespace.equals(ns) || run == null) {
      reply.status(404, "NotFound", "pods \"" + pod + "\" not found");
      return;
    }
    String container = query.getOrDefault("container", "step");
    String id = container.equals("step") ? run.stepId : null;
    if (id == null) {
      reply.status(400, "BadRequest", "container \"" + container + "\" in pod \"" + pod
          + "\" is waiting to start: ContainerCreating");
      return;
    }
    boolean follow = "true".equals(query.get("follow"));
    try (InputStream in = Files.newInputStream(run.log)) {
      reply.startStream("text/plain");
      byte[] buffer = new byte[65536];
      while (true) {
        boolean ended = run.logFile.complete();
        int n = in.read(buffer);
        if (n > 0) {
          reply.write(buffer, n);
        } else if (!follow || ended) {
          return; // everything up to the container's end was sent
        } else {
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  @Override
  public void close() {
    informer.stop();
    for (PodRun run : List.copyOf(runs.values())) {
      run.removed = true;
      run.deleting.complete(null);
    }
    Docker.run(List.of("ps", "-aq", "--filter", "label=" + CONTAINER_LABEL + "=" + id), 60).out().lines()
        .forEach(c -> Docker.run(List.of("rm", "-f", c), 60));
    try {
      TestImages.deleteTree(scratch);
    } catch (IOException e) {
      // temporary files; the OS cleans up
    }
  }

  // ---- one Pod ----

  private void admit(Pod pod) {
    String name = pod.getMetadata().getName();
    PodRun run = new PodRun(pod);
    if (runs.putIfAbsent(name, run) == null) {
      Thread t = new Thread(run, "fake-kubelet-" + name);
      t.setDaemon(true);
      t.start();
    }
  }

  private final class PodRun implements Runnable {
    final Pod pod;
    final String name;
    final String uid;
    final CompletableFuture<Void> deleting = new CompletableFuture<>();
    volatile boolean removed;
    volatile String stepId;
    volatile Process attached;
    volatile Path log;
    volatile ContainerLogFile logFile;
    volatile String evicted;
    String initName;
    final List<Path> temporary = new ArrayList<>();

    PodRun(Pod pod) {
      this.pod = pod;
      this.name = pod.getMetadata().getName();
      this.uid = pod.getMetadata().getUid();
    }

    @Override
    public void run() {
      try {
        if (!schedule()) {
          return;
        }
        Container init = pod.getSpec().getInitContainers().isEmpty() ? null : pod.getSpec().getInitContainers().get(0);
        Container step = pod.getSpec().getContainers().get(0);
        Map<String, Path> volumes = prepareVolumes();
        if (volumes == null) {
          return;
        }
        if (init != null && !runInit(init, step, volumes)) {
          return;
        }
        if (!pull(step, false)) {
          return;
        }
        holdIfAsked();
        Map<String, String> env = resolveEnv(step);
        if (env == null) {
          return;
        }
        runStep(step, env, volumes);
      } catch (RuntimeException e) {
        if (!removed) {
          System.err.println("fake kubelet: Pod " + name + " failed: " + e);
          e.printStackTrace();
        }
        waitForDeletion();
      } finally {
        cleanUp();
      }
    }

    // -- scheduling --

    private boolean schedule() {
      String why = unschedulable();
      if (why != null) {
        status(s -> {
          s.setPhase("Pending");
          s.setConditions(List.of(condition("PodScheduled", "False", "Unschedulable", why)));
          return s;
        });
        event("Warning", "FailedScheduling", why, "default-scheduler");
        waitForDeletion();
        return false;
      }
      try {
        api(() -> client.pods().inNamespace(namespace).withName(name).edit(p -> {
          if (!p.getMetadata().getFinalizers().contains(FINALIZER)) {
            p.getMetadata().getFinalizers().add(FINALIZER); // tried again after an answer was lost: once
          }
          p.getSpec().setNodeName(NODE);
          return p;
        }));
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return false; // deleted before it was bound
        }
        throw e;
      }
      status(s -> {
        s.setPhase("Pending");
        s.setHostIP("127.0.0.1");
        s.setStartTime(now());
        s.setConditions(List.of(condition("PodScheduled", "True", null, null)));
        if (!pod.getSpec().getInitContainers().isEmpty()) {
          s.setInitContainerStatuses(List.of(waiting(pod.getSpec().getInitContainers().get(0), "PodInitializing", null)));
          s.setContainerStatuses(List.of(waiting(pod.getSpec().getContainers().get(0), "PodInitializing", null)));
        } else {
          s.setContainerStatuses(List.of(waiting(pod.getSpec().getContainers().get(0), "ContainerCreating", null)));
        }
        return s;
      });
      event("Normal", "Scheduled", "Successfully assigned " + namespace + "/" + name + " to " + NODE,
          "default-scheduler");
      return true;
    }

    private String unschedulable() {
      String suffix = " preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
      for (Volume v : pod.getSpec().getVolumes()) {
        if (v.getPersistentVolumeClaim() != null && !claims.containsKey(v.getPersistentVolumeClaim().getClaimName())) {
          return "0/1 nodes are available: persistentvolumeclaim \"" + v.getPersistentVolumeClaim().getClaimName()
              + "\" not found." + suffix;
        }
      }
      Map<String, String> selector = pod.getSpec().getNodeSelector();
      if (selector != null && selector.entrySet().stream()
          .anyMatch(e -> !e.getValue().equals(nodeLabels.get(e.getKey())))) {
        return "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector." + suffix;
      }
      for (Map.Entry<String, String> taint : taints.entrySet()) {
        boolean tolerated = pod.getSpec().getTolerations().stream().anyMatch(t -> tolerates(t, taint));
        if (!tolerated) {
          return "0/1 nodes are available: 1 node(s) had untolerated taint {" + taint.getKey() + ": "
              + taint.getValue() + "}." + suffix;
        }
      }
      long memory = pod.getSpec().getContainers().stream().mapToLong(c -> request(c, "memory")).sum();
      if (memory > memoryCapacity) {
        return "0/1 nodes are available: 1 Insufficient memory." + suffix;
      }
      return null;
    }

    private boolean tolerates(Toleration t, Map.Entry<String, String> taint) {
      boolean key = t.getKey() == null ? "Exists".equals(t.getOperator()) : t.getKey().equals(taint.getKey());
      boolean value = "Exists".equals(t.getOperator()) || taint.getValue().equals(t.getValue());
      boolean effect = t.getEffect() == null || t.getEffect().isEmpty() || "NoSchedule".equals(t.getEffect());
      return key && value && effect;
    }

    // -- volumes --

    private Map<String, Path> prepareVolumes() {
      Map<String, Path> paths = new LinkedHashMap<>();
      for (Volume v : pod.getSpec().getVolumes()) {
        if (v.getPersistentVolumeClaim() != null) {
          Path root = claims.get(v.getPersistentVolumeClaim().getClaimName());
          applyFsGroup(root);
          paths.put(v.getName(), root);
        } else if (v.getEmptyDir() != null) {
          paths.put(v.getName(), temporaryDir("empty-" + v.getName(), "rwxrwxrwx"));
        } else if (v.getSecret() != null) {
          String secretName = v.getSecret().getSecretName();
          Secret secret = api(() -> client.secrets().inNamespace(namespace).withName(secretName).get());
          if (secret == null) {
            event("Warning", "FailedMount", "MountVolume.SetUp failed for volume \"" + v.getName()
                + "\" : secret \"" + v.getSecret().getSecretName() + "\" not found", "kubelet");
            waitForDeletion();
            return null;
          }
          Path dir = temporaryDir("secret-" + v.getName(), "rwxr-xr-x");
          int mode = v.getSecret().getDefaultMode() == null ? 0644 : v.getSecret().getDefaultMode();
          for (KeyToPath item : v.getSecret().getItems()) {
            Path file = dir.resolve(item.getPath());
            try {
              Files.write(file, Base64.getDecoder().decode(secret.getData().get(item.getKey())));
              Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions(mode)));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
          paths.put(v.getName(), dir);
        }
      }
      return paths;
    }

    /** What the kubelet does to a volume for {@code fsGroup}: group-owned, group-writable, setgid dirs. */
    private void applyFsGroup(Path root) {
      PodSecurityContext sc = pod.getSpec().getSecurityContext();
      if (sc == null || sc.getFsGroup() == null) {
        return;
      }
      String gid = String.valueOf(sc.getFsGroup());
      try {
        int current = (Integer) Files.getAttribute(root, "unix:gid");
        if ("OnRootMismatch".equals(sc.getFsGroupChangePolicy()) && String.valueOf(current).equals(gid)) {
          return;
        }
        host("chgrp", "-R", gid, root.toString());
        host("chmod", "-R", "g+rwX", root.toString());
        host("find", root.toString(), "-type", "d", "-exec", "chmod", "g+s", "{}", "+");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    // -- init container --

    private boolean runInit(Container init, Container step, Map<String, Path> volumes) {
      if (!pull(init, true)) {
        return false;
      }
      status(s -> {
        s.setInitContainerStatuses(List.of(running(init)));
        return s;
      });
      initName = "pk8s-" + name + "-" + uid.substring(0, 8) + "-init";
      List<String> args = dockerRun(initName, init, Map.of(), volumes, false);
      Docker.Result r = Docker.run(args, 120);
      String finished = now();
      if (r.exitCode() != 0) {
        String message = (r.out() + r.err()).strip();
        status(s -> {
          s.setPhase("Failed");
          s.setInitContainerStatuses(List.of(terminated(init, r.exitCode(), "Error", message, finished, finished)));
          return s;
        });
        waitForDeletion();
        return false;
      }
      status(s -> {
        s.setInitContainerStatuses(List.of(terminated(init, 0, "Completed", null, finished, finished)));
        s.setContainerStatuses(List.of(waiting(step, "ContainerCreating", null)));
        return s;
      });
      return !deleting.isDone();
    }

    // -- image pulls --

    private boolean pull(Container c, boolean init) {
      String image = c.getImage();
      if (!REFERENCE.matcher(image).matches()) {
        setWaiting(c, init, "InvalidImageName", "Failed to apply default image tag \"" + image
            + "\": couldn't parse image reference \"" + image + "\": invalid reference format");
        event("Warning", "InspectFailed", "Failed to apply default image tag \"" + image + "\"", "kubelet");
        waitForDeletion();
        return false;
      }
      boolean present = Docker.run(List.of("image", "inspect", image), 30).ok();
      if ("Never".equals(c.getImagePullPolicy()) && !present) {
        String message = "Container image \"" + image + "\" is not present with pull policy of Never";
        setWaiting(c, init, "ErrImageNeverPull", message);
        event("Warning", "ErrImageNeverPull", message, "kubelet");
        waitForDeletion();
        return false;
      }
      long backoff = 200;
      while (!deleting.isDone()) {
        String failure = tryPull(image, present);
        if (failure == null) {
          event("Normal", "Pulled", "Container image \"" + image + "\" already present on machine", "kubelet");
          return true;
        }
        setWaiting(c, init, "ErrImagePull", failure);
        event("Warning", "Failed", "Failed to pull image \"" + image + "\": " + failure, "kubelet");
        if (sleepUnlessDeleted(backoff)) {
          return false;
        }
        setWaiting(c, init, "ImagePullBackOff", "Back-off pulling image \"" + image + "\"");
        event("Normal", "BackOff", "Back-off pulling image \"" + image + "\"", "kubelet");
        if (sleepUnlessDeleted(backoff)) {
          return false;
        }
        backoff = Math.min(1000, backoff * 2);
      }
      return false;
    }

    /** Null when the image is there, else the failure a container runtime would report. */
    private String tryPull(String image, boolean present) {
      Deque<String> script = scriptedPulls.get(image);
      String scripted = script == null ? null : script.poll();
      if (scripted != null) {
        return scripted;
      }
      if (present) {
        return null;
      }
      if (image.startsWith("127.0.0.1:")) {
        return pullFromLocalRegistry(image);
      }
      String ref = image.contains("/") ? image : "docker.io/library/" + image;
      return "rpc error: code = NotFound desc = failed to pull and unpack image \"" + ref
          + "\": failed to resolve reference \"" + ref + "\": " + ref + ": not found";
    }

    private void holdIfAsked() {
      CountDownLatch latch = holds.get(name);
      if (latch == null) {
        return;
      }
      held.get(name).complete(null);
      try {
        latch.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** A real pull, with the Pod's {@code imagePullSecrets} as the Docker config, as the kubelet does. */
    private String pullFromLocalRegistry(String image) {
      Map<String, Object> auths = new LinkedHashMap<>();
      for (LocalObjectReference ref : pod.getSpec().getImagePullSecrets()) {
        Secret secret = api(() -> client.secrets().inNamespace(namespace).withName(ref.getName()).get());
        if (secret == null || secret.getData() == null || !secret.getData().containsKey(".dockerconfigjson")) {
          event("Warning", "FailedToRetrieveImagePullSecret", "Unable to retrieve some image pull secrets ("
              + ref.getName() + "); attempting to pull the image may not succeed.", "kubelet");
          continue;
        }
        String json = new String(Base64.getDecoder().decode(secret.getData().get(".dockerconfigjson")),
            StandardCharsets.UTF_8);
        Map<?, ?> config = Serialization.unmarshal(json, Map.class);
        if (config.get("auths") instanceof Map<?, ?> a) {
          a.forEach((k, v) -> auths.put(String.valueOf(k), v));
        }
      }
      Path configDir = temporaryDir("docker-config", "rwx------");
      try {
        Files.writeString(configDir.resolve("config.json"),
            Serialization.asJson(Map.of("auths", auths)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Docker.Result r = Docker.run(List.of("--config", configDir.toString(), "pull", image), 120);
      if (r.ok()) {
        return null;
      }
      String err = r.err().strip().replace("Error response from daemon: ", "");
      return "rpc error: code = Unknown desc = " + err;
    }

    // -- env --

    private Map<String, String> resolveEnv(Container c) {
      while (!deleting.isDone()) {
        try {
          Map<String, String> env = new LinkedHashMap<>();
          for (EnvVar e : c.getEnv()) {
            if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
              env.put(e.getName(), secretValue(e.getValueFrom().getSecretKeyRef()));
            } else {
              env.put(e.getName(), KubeletExpansion.expand(e.getValue() == null ? "" : e.getValue(), env));
            }
          }
          return env;
        } catch (ConfigError e) {
          setWaiting(c, false, "CreateContainerConfigError", e.getMessage());
          event("Warning", "Failed", "Error: " + e.getMessage(), "kubelet");
          if (sleepUnlessDeleted(500)) {
            return null;
          }
        }
      }
      return null;
    }

    private String secretValue(SecretKeySelector ref) throws ConfigError {
      Secret secret = api(() -> client.secrets().inNamespace(namespace).withName(ref.getName()).get());
      if (secret == null) {
        throw new ConfigError("secret \"" + ref.getName() + "\" not found");
      }
      String data = secret.getData() == null ? null : secret.getData().get(ref.getKey());
      if (data == null) {
        throw new ConfigError("couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
      }
      return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    }

    // -- the step container --

    private void runStep(Container step, Map<String, String> env, Map<String, Path> volumes) {
      String containerName = "pk8s-" + name + "-" + uid.substring(0, 8) + "-step";
      Path dir = temporaryDir("step", "rwx------");
      Path cidFile = dir.resolve("cid");
      log = dir.resolve("log");
      // attached, with the container's stdout and stderr going to one host file line by line as they come: what
      // the kubelet serves as the container's log (docker's own log driver is far slower for big logs)
      List<String> run = dockerRun(containerName, step, env, volumes, false);
      List<String> args = new ArrayList<>(List.of("docker", "run", "--log-driver", "none", "--cidfile", cidFile.toString()));
      args.addAll(run.subList(1, run.size()));
      try {
        attached = new ProcessBuilder(args).start();
        logFile = ContainerLogFile.follow(attached, log);
        attached.getOutputStream().close();
        while (attached.isAlive() && (!Files.exists(cidFile) || Files.size(cidFile) == 0)) {
          Thread.sleep(20);
        }
        if (!Files.exists(cidFile) || Files.size(cidFile) == 0) {
          attached.waitFor();
          logFile.awaitComplete(30, TimeUnit.SECONDS);
          setWaiting(step, false, "CreateContainerError", Files.readString(log).strip());
          waitForDeletion();
          return;
        }
        stepId = Files.readString(cidFile).strip();
        while (attached.isAlive() && inspect(stepId, "{{.State.StartedAt}}").startsWith("0001-")) {
          Thread.sleep(20);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      String startedAt = inspect(stepId, "{{.State.StartedAt}}");
      status(s -> {
        s.setPhase("Running");
        s.setConditions(List.of(condition("PodScheduled", "True", null, null), condition("Ready", "True", null, null)));
        s.setContainerStatuses(List.of(new ContainerStatusBuilder(base(step)).withReady(true).withStarted(true)
            .withContainerID("docker://" + stepId)
            .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(seconds(startedAt)).endRunning().build()).build()));
        return s;
      });
      event("Normal", "Started", "Started container " + step.getName(), "kubelet");
      waitForExit(stepId);
      try {
        // the container's last lines are in its log before its status says it ended, as with a real kubelet
        logFile.awaitComplete(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      String[] state = inspect(stepId, "{{.State.ExitCode}} {{.State.OOMKilled}} {{.State.FinishedAt}}").split(" ");
      int code = Integer.parseInt(state[0]);
      boolean oom = Boolean.parseBoolean(state[1])
          || code == 137 && hasMemoryLimit(step) && oomKilledAfterAll(stepId);
      String reason = oom ? "OOMKilled" : code == 0 ? "Completed" : "Error";
      if (evicted != null && !removed) {
        status(s -> {
          s.setPhase("Failed");
          s.setReason("Evicted");
          s.setMessage(evicted);
          s.setContainerStatuses(List.of(terminated(step, code, "Error", null, seconds(startedAt), seconds(state[2]))));
          return s;
        });
      } else if (!removed) {
        status(s -> {
          s.setPhase(code == 0 ? "Succeeded" : "Failed");
          s.setConditions(List.of(condition("PodScheduled", "True", null, null),
              condition("Ready", "False", "PodCompleted", null)));
          s.setContainerStatuses(List.of(terminated(step, code, reason, null, seconds(startedAt), seconds(state[2]))));
          return s;
        });
      }
      waitForDeletion();
    }

    /** Waits for the container to end; when the Pod is deleted meanwhile, stops it with the grace period. */
    private void waitForExit(String containerId) {
      try {
        boolean stopped = false;
        while (!attached.waitFor(100, TimeUnit.MILLISECONDS)) {
          if (deleting.isDone() && !stopped) {
            stopped = true;
            // a Pod already gone from the API (forced) gets the kubelet's minimum; else what the deletion asked
            long grace = removed ? 1 : deleteGrace.getOrDefault(name,
                Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds()).orElse(30L));
            Docker.run(List.of("stop", "-t", String.valueOf(grace), containerId), grace + 60);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private List<String> dockerRun(String containerName, Container c, Map<String, String> env,
        Map<String, Path> volumes, boolean detached) {
      List<String> args = new ArrayList<>(List.of("run", "--name", containerName, "--label",
          CONTAINER_LABEL + "=" + id));
      if (detached) {
        args.add("-d");
      }
      PodSecurityContext psc = pod.getSpec().getSecurityContext();
      if (psc != null && psc.getRunAsUser() != null) {
        args.addAll(List.of("--user", psc.getRunAsUser() + (psc.getRunAsGroup() == null ? "" : ":" + psc.getRunAsGroup())));
      }
      if (psc != null && psc.getFsGroup() != null) {
        args.addAll(List.of("--group-add", String.valueOf(psc.getFsGroup())));
      }
      SecurityContext sc = c.getSecurityContext();
      if (sc != null && Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        args.addAll(List.of("--security-opt", "no-new-privileges"));
      }
      if (sc != null && sc.getCapabilities() != null && sc.getCapabilities().getDrop().contains("ALL")) {
        args.addAll(List.of("--cap-drop", "ALL"));
      }
      if (sc != null && sc.getCapabilities() != null) {
        sc.getCapabilities().getAdd().forEach(cap -> args.addAll(List.of("--cap-add", cap)));
      }
      if (sc != null && Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
        args.add("--read-only");
      }
      if (isolatedByNetworkPolicy()) {
        args.addAll(List.of("--network", "none"));
      }
      if (c.getResources() != null && c.getResources().getLimits() != null) {
        Quantity memory = c.getResources().getLimits().get("memory");
        if (memory != null) {
          String bytes = Quantity.getAmountInBytes(memory).toBigInteger().toString();
          args.addAll(List.of("--memory", bytes, "--memory-swap", bytes));
        }
        Quantity cpu = c.getResources().getLimits().get("cpu");
        if (cpu != null) {
          args.addAll(List.of("--cpus", Quantity.getAmountInBytes(cpu).toPlainString()));
        }
      }
      if (c.getWorkingDir() != null) {
        args.addAll(List.of("-w", c.getWorkingDir()));
      }
      for (VolumeMount m : c.getVolumeMounts()) {
        Volume memoryBacked = pod.getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null
                && "Memory".equals(v.getEmptyDir().getMedium()))
            .findFirst().orElse(null);
        if (memoryBacked != null) {
          // A memory-backed emptyDir is a tmpfs, bounded by its sizeLimit as the kubelet bounds it.
          Quantity limit = memoryBacked.getEmptyDir().getSizeLimit();
          args.addAll(List.of("--tmpfs", m.getMountPath() + ":rw,mode=1777"
              + (limit == null ? "" : ",size=" + Quantity.getAmountInBytes(limit).toBigInteger())));
          continue;
        }
        Path source = volumes.get(m.getName());
        if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
          source = source.resolve(m.getSubPath());
          try {
            Files.createDirectories(source);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        args.addAll(List.of("-v", source + ":" + m.getMountPath() + (Boolean.TRUE.equals(m.getReadOnly()) ? ":ro" : "")));
      }
      env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
      List<String> argv = new ArrayList<>();
      c.getCommand().forEach(a -> argv.add(KubeletExpansion.expand(a, env)));
      c.getArgs().forEach(a -> argv.add(KubeletExpansion.expand(a, env)));
      args.addAll(List.of("--entrypoint", argv.get(0), c.getImage()));
      args.addAll(argv.subList(1, argv.size()));
      return args;
    }

    /**
     * Whether a NetworkPolicy of the namespace selects this Pod (by its labels) and allows it no traffic
     * either way: what a network plugin that enforces policies makes of it.
     */
    private boolean isolatedByNetworkPolicy() {
      Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
      List<NetworkPolicy> policies = api(() -> client.network().v1().networkPolicies().inNamespace(namespace).list()
          .getItems());
      return policies.stream().anyMatch(p -> {
        Map<String, String> selector = p.getSpec().getPodSelector() == null
            || p.getSpec().getPodSelector().getMatchLabels() == null ? Map.of() : p.getSpec().getPodSelector().getMatchLabels();
        boolean selects = selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        return selects && p.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))
            && p.getSpec().getIngress().isEmpty() && p.getSpec().getEgress().isEmpty();
      });
    }

    // -- status and events --

    private void setWaiting(Container c, boolean init, String reason, String message) {
      status(s -> {
        if (init) {
          s.setInitContainerStatuses(List.of(waiting(c, reason, message)));
        } else {
          s.setContainerStatuses(List.of(waiting(c, reason, message)));
        }
        return s;
      });
    }

    private void status(UnaryOperator<PodStatus> change) {
      for (int tries = 0; tries < 5 && !removed; tries++) {
        try {
          Pod current = api(() -> client.pods().inNamespace(namespace).withName(name).get());
          if (current == null) {
            return;
          }
          current.setStatus(change.apply(current.getStatus() == null ? new PodStatus() : current.getStatus()));
          api(() -> client.pods().inNamespace(namespace).resource(current).updateStatus());
          return;
        } catch (KubernetesClientException e) {
          if (e.getCode() == 404) {
            return; // gone
          }
          if (e.getCode() != 409) {
            System.err.println("fake kubelet: the status of Pod " + name + " could not be updated: " + e);
            return;
          }
        }
      }
    }

    private void event(String type, String reason, String message, String component) {
      if (removed) {
        return;
      }
      String time = now();
      api(() -> client.v1().events().inNamespace(namespace).resource(new EventBuilder()
          .withNewMetadata().withGenerateName(name + ".").endMetadata()
          .withNewInvolvedObject().withKind("Pod").withApiVersion("v1").withName(name).withNamespace(namespace)
          .withUid(uid).endInvolvedObject()
          .withType(type).withReason(reason).withMessage(message)
          .withNewSource().withComponent(component).withHost(NODE).endSource()
          .withFirstTimestamp(time).withLastTimestamp(time).withCount(1)
          .build()).create());
    }

    // -- ending --

    private void waitForDeletion() {
      try {
        deleting.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // not completed exceptionally
      }
    }

    private boolean sleepUnlessDeleted(long millis) {
      try {
        deleting.get(millis, TimeUnit.MILLISECONDS);
        return true;
      } catch (TimeoutException e) {
        return false;
      } catch (Exception e) {
        return true;
      }
    }

    private void cleanUp() {
      for (String container : new String[] {stepId, initName}) {
        if (container != null) {
          Docker.run(List.of("rm", "-f", container), 60);
        }
      }
      if (!removed) {
        try {
          removeFinalizer(name);
        } catch (KubernetesClientException e) {
          System.err.println("fake kubelet: the finalizer of Pod " + name + " could not be removed: " + e);
        }
      }
      for (Path p : temporary) {
        try {
          TestImages.deleteTree(p);
        } catch (IOException e) {
          // temporary
        }
      }
      deleteGrace.remove(name);
      runs.remove(name, this);
    }

    private Path temporaryDir(String prefix, String mode) {
      try {
        Path dir = Files.createTempDirectory(scratch, prefix + "-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        temporary.add(dir);
        return dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Lets the API server remove the Pod; only a 404 means it is gone already (a timeout does not). */
  private void removeFinalizer(String pod) {
    try {
      api(() -> client.pods().inNamespace(namespace).withName(pod).edit(p -> {
        p.getMetadata().getFinalizers().remove(FINALIZER);
        return p;
      }));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /**
   * Makes an API call, again after a pause while it fails for a passing reason (no answer in time, a
   * dropped connection, 429, 5xx), as a kubelet does; other errors, a 404 for one, are the caller's.
   */
  private static <T> T api(Supplier<T> call) {
    long end = System.nanoTime() + API_PATIENCE.toNanos();
    long pause = 100;
    while (true) {
      try {
        return call.get();
      } catch (KubernetesClientException e) {
        boolean passing = e.getCode() == 0 || e.getCode() == 429 || e.getCode() >= 500;
        if (!passing || System.nanoTime() > end) {
          throw e;
        }
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KubernetesClientException("interrupted while calling the API server", e);
      }
      pause = Math.min(2000, pause * 2);
    }
  }

  // ---- small helpers ----

  private static final class ConfigError extends Exception {
    private static final long serialVersionUID = 1L;

    ConfigError(String message) {
      super(message);
    }
  }

  private static long request(Container c, String resource) {
    if (c.getResources() == null || c.getResources().getRequests() == null
        || c.getResources().getRequests().get(resource) == null) {
      return 0;
    }
    BigDecimal amount = Quantity.getAmountInBytes(c.getResources().getRequests().get(resource));
    return amount.longValue();
  }

  private static ContainerStatus base(Container c) {
    return new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID("")
        .withReady(false).withRestartCount(0).withStarted(false).build();
  }

  private static ContainerStatus waiting(Container c, String reason, String message) {
    return new ContainerStatusBuilder(base(c))
        .withState(new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build()).build();
  }

  private static ContainerStatus running(Container c) {
    return new ContainerStatusBuilder(base(c)).withStarted(true)
        .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(now()).endRunning().build()).build();
  }

  private static ContainerStatus terminated(Container c, int code, String reason, String message, String started,
      String finished) {
    return new ContainerStatusBuilder(base(c))
        .withState(new ContainerStateBuilder().withNewTerminated().withExitCode(code).withReason(reason)
            .withMessage(message).withStartedAt(started).withFinishedAt(finished).endTerminated().build())
        .build();
  }

  private static PodCondition condition(String type, String status, String reason, String message) {
    return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastTransitionTime(now()).build();
  }

  private static boolean hasMemoryLimit(Container c) {
    return c.getResources() != null && c.getResources().getLimits() != null
        && c.getResources().getLimits().containsKey("memory");
  }

  /** Docker records an OOM kill in an event of its own, which can come after the exit: a second look. */
  private static boolean oomKilledAfterAll(String id) {
    for (int i = 0; i < 5; i++) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (Boolean.parseBoolean(inspect(id, "{{.State.OOMKilled}}"))) {
        return true;
      }
    }
    return false;
  }

  private static String inspect(String id, String format) {
    return Docker.ok("inspect", "-f", format, id);
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Docker's RFC 3339 with nanoseconds, as Kubernetes writes it: whole seconds. */
  private static String seconds(String dockerTime) {
    return Instant.parse(dockerTime).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String permissions(int mode) {
    StringBuilder sb = new StringBuilder();
    String rwx = "rwx";
    for (int shift = 6; shift >= 0; shift -= 3) {
      int bits = (mode >> shift) & 7;
      for (int i = 0; i < 3; i++) {
        sb.append((bits & (4 >> i)) != 0 ? rwx.charAt(i) : '-');
      }
    }
    return sb.toString();
  }

  private static void host(String... command) throws IOException {
    try {
      Path output = Files.createTempFile("fake-kubelet-host-", ".out");
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        p.getOutputStream().close();
        // bounded: a command that hangs fails the Pod's setup instead of the whole build
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new IOException(String.join(" ", command) + " did not end within 2 minutes");
        }
        if (p.exitValue() != 0) {
          throw new IOException(String.join(" ", command) + " failed: " + Files.readString(output));
        }
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
