package io.promokit.runtime.k8s;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code restricted} profile of Kubernetes' Pod Security Standards (which includes the {@code baseline}
 * profile), as https://kubernetes.io/docs/concepts/security/pod-security-standards/ lists its controls, checked
 * the way the Pod Security admission controller checks a Pod: every control, for every container (init,
 * regular and ephemeral). {@link #violations(Pod)} names each control a Pod breaks, with the field.
 */
final class RestrictedPodSecurity {

  /** Baseline: the capabilities that may be added. */
  static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID",
      "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
  /** Baseline: the sysctls a Pod may set. */
  static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
      "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
      "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");
  /** Baseline: SELinux types a Pod may use (empty: unset). */
  static final Set<String> SELINUX_TYPES = Set.of("", "container_t", "container_init_t", "container_kvm_t",
      "container_engine_t");
  /** Restricted: the volume types a Pod may use. */
  static final Set<String> VOLUME_TYPES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
      "persistentVolumeClaim", "projected", "secret");

  private RestrictedPodSecurity() {}

  /** Every control the Pod breaks, as {@code <control>: <field> <what>}; empty when it passes. */
  static List<String> violations(Pod pod) {
    List<String> out = new ArrayList<>();
    PodSpec spec = pod.getSpec();
    PodSecurityContext psc = spec.getSecurityContext();
    List<Named> containers = containers(spec);

    // ---- baseline ----
    if (psc != null && hostProcess(psc.getWindowsOptions())) {
      out.add("HostProcess: spec.securityContext.windowsOptions.hostProcess is true");
    }
    for (Named c : containers) {
      SecurityContext sc = c.container().getSecurityContext();
      if (sc != null && hostProcess(sc.getWindowsOptions())) {
        out.add("HostProcess: " + c.path() + ".securityContext.windowsOptions.hostProcess is true");
      }
    }
    for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
      Boolean value = switch (field) {
        case "hostNetwork" -> spec.getHostNetwork();
        case "hostPID" -> spec.getHostPID();
        default -> spec.getHostIPC();
      };
      if (Boolean.TRUE.equals(value)) {
        out.add("Host Namespaces: spec." + field + " is true");
      }
    }
    for (Named c : containers) {
      SecurityContext sc = c.container().getSecurityContext();
      if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
        out.add("Privileged Containers: " + c.path() + ".securityContext.privileged is true");
      }
      for (String cap : added(sc)) {
        if (!BASELINE_CAPABILITIES.contains(cap)) {
          out.add("Capabilities (baseline): " + c.path() + ".securityContext.capabilities.add has " + cap);
        }
      }
      for (ContainerPort port : c.container().getPorts()) {
        if (port.getHostPort() != null && port.getHostPort() != 0) {
          out.add("Host Ports: " + c.path() + ".ports hostPort " + port.getHostPort());
        }
      }
      if (sc != null && sc.getAppArmorProfile() != null
          && !Set.of("RuntimeDefault", "Localhost").contains(sc.getAppArmorProfile().getType())) {
        out.add("AppArmor: " + c.path() + ".securityContext.appArmorProfile.type is " + sc.getAppArmorProfile().getType());
      }
      if (sc != null) {
        seLinux(out, c.path() + ".securityContext", sc.getSeLinuxOptions());
      }
      if (sc != null && sc.getProcMount() != null && !"Default".equals(sc.getProcMount())) {
        out.add("/proc Mount Type: " + c.path() + ".securityContext.procMount is " + sc.getProcMount());
      }
      if (sc != null && unconfined(sc.getSeccompProfile())) {
        out.add("Seccomp (baseline): " + c.path() + ".securityContext.seccompProfile.type is Unconfined");
      }
    }
    for (Volume v : spec.getVolumes()) {
      if (v.getHostPath() != null) {
        out.add("HostPath Volumes: spec.volumes[" + v.getName() + "].hostPath is set");
      }
    }
    Map<String, String> annotations = pod.getMetadata().getAnnotations() == null ? Map.of()
        : pod.getMetadata().getAnnotations();
    annotations.forEach((key, value) -> {
      if (key.startsWith("container.apparmor.security.beta.kubernetes.io/") && !value.equals("runtime/default")
          && !value.startsWith("localhost/")) {
        out.add("AppArmor: metadata.annotations[" + key + "] is " + value);
      }
    });
    if (psc != null) {
      seLinux(out, "spec.securityContext", psc.getSeLinuxOptions());
      if (unconfined(psc.getSeccompProfile())) {
        out.add("Seccomp (baseline): spec.securityContext.seccompProfile.type is Unconfined");
      }
      if (psc.getAppArmorProfile() != null
          && !Set.of("RuntimeDefault", "Localhost").contains(psc.getAppArmorProfile().getType())) {
        out.add("AppArmor: spec.securityContext.appArmorProfile.type is " + psc.getAppArmorProfile().getType());
      }
      for (Sysctl sysctl : psc.getSysctls()) {
        if (!SAFE_SYSCTLS.contains(sysctl.getName())) {
          out.add("Sysctls: spec.securityContext.sysctls has " + sysctl.getName());
        }
      }
    }

    // ---- restricted ----
    for (Volume v : spec.getVolumes()) {
      String type = volumeType(v);
      if (!VOLUME_TYPES.contains(type)) {
        out.add("Volume Types: spec.volumes[" + v.getName() + "] is " + type);
      }
    }
    boolean podNonRoot = psc != null && Boolean.TRUE.equals(psc.getRunAsNonRoot());
    boolean podSeccomp = psc != null && confined(psc.getSeccompProfile());
    if (psc != null && psc.getRunAsUser() != null && psc.getRunAsUser() == 0) {
      out.add("Running as Non-root user: spec.securityContext.runAsUser is 0");
    }
    for (Named c : containers) {
      SecurityContext sc = c.container().getSecurityContext();
      if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        out.add("Privilege Escalation: " + c.path() + ".securityContext.allowPrivilegeEscalation is not false");
      }
      Boolean nonRoot = sc == null ? null : sc.getRunAsNonRoot();
      if (Boolean.FALSE.equals(nonRoot) || (nonRoot == null && !podNonRoot)) {
        out.add("Running as Non-root: " + c.path() + " may run as root (runAsNonRoot is not true here or for the Pod)");
      }
      if (sc != null && sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
        out.add("Running as Non-root user: " + c.path() + ".securityContext.runAsUser is 0");
      }
      SeccompProfile own = sc == null ? null : sc.getSeccompProfile();
      if (own == null ? !podSeccomp : !confined(own)) {
        out.add("Seccomp: " + c.path() + " has no RuntimeDefault or Localhost seccomp profile");
      }
      Capabilities caps = sc == null ? null : sc.getCapabilities();
      if (caps == null || !caps.getDrop().contains("ALL")) {
        out.add("Capabilities: " + c.path() + ".securityContext.capabilities.drop does not hold ALL");
      }
      for (String cap : added(sc)) {
        if (!cap.equals("NET_BIND_SERVICE")) {
          out.add("Capabilities: " + c.path() + ".securityContext.capabilities.add has " + cap);
        }
      }
    }
    return out;
  }

  private record Named(String path, Container container) {}

  private static List<Named> containers(PodSpec spec) {
    List<Named> all = new ArrayList<>();
    spec.getInitContainers().forEach(c -> all.add(new Named("spec.initContainers[" + c.getName() + "]", c)));
    spec.getContainers().forEach(c -> all.add(new Named("spec.containers[" + c.getName() + "]", c)));
    spec.getEphemeralContainers().forEach(e -> {
      Container c = new Container();
      c.setName(e.getName());
      c.setSecurityContext(e.getSecurityContext());
      c.setPorts(e.getPorts());
      all.add(new Named("spec.ephemeralContainers[" + e.getName() + "]", c));
    });
    return all;
  }

  private static List<String> added(SecurityContext sc) {
    return sc == null || sc.getCapabilities() == null ? List.of() : sc.getCapabilities().getAdd();
  }

  private static boolean hostProcess(WindowsSecurityContextOptions options) {
    return options != null && Boolean.TRUE.equals(options.getHostProcess());
  }

  private static boolean unconfined(SeccompProfile profile) {
    return profile != null && "Unconfined".equals(profile.getType());
  }

  private static boolean confined(SeccompProfile profile) {
    return profile != null && ("RuntimeDefault".equals(profile.getType()) || "Localhost".equals(profile.getType()));
  }

  private static void seLinux(List<String> out, String where, SELinuxOptions options) {
    if (options == null) {
      return;
    }
    String type = options.getType() == null ? "" : options.getType();
    if (!SELINUX_TYPES.contains(type)) {
      out.add("SELinux: " + where + ".seLinuxOptions.type is " + type);
    }
    if (options.getUser() != null && !options.getUser().isEmpty()) {
      out.add("SELinux: " + where + ".seLinuxOptions.user is set");
    }
    if (options.getRole() != null && !options.getRole().isEmpty()) {
      out.add("SELinux: " + where + ".seLinuxOptions.role is set");
    }
  }

  private static String volumeType(Volume v) {
    return Stream.of(
            Map.entry("configMap", v.getConfigMap() != null), Map.entry("csi", v.getCsi() != null),
            Map.entry("downwardAPI", v.getDownwardAPI() != null), Map.entry("emptyDir", v.getEmptyDir() != null),
            Map.entry("ephemeral", v.getEphemeral() != null),
            Map.entry("persistentVolumeClaim", v.getPersistentVolumeClaim() != null),
            Map.entry("projected", v.getProjected() != null), Map.entry("secret", v.getSecret() != null),
            Map.entry("hostPath", v.getHostPath() != null), Map.entry("nfs", v.getNfs() != null),
            Map.entry("iscsi", v.getIscsi() != null), Map.entry("gitRepo", v.getGitRepo() != null))
        .filter(Map.Entry::getValue).map(Map.Entry::getKey).findFirst().orElse("another type");
  }
}
