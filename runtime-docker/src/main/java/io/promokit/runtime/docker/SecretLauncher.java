package io.promokit.runtime.docker;

import java.util.ArrayList;
import java.util.List;

/**
 * Starts a container's command with its secret env values without writing them into the container's
 * configuration ({@code docker inspect} shows {@code Config.Env} to anyone who may use the daemon, and the
 * daemon keeps it on disk). Each secret value is a file in the attempt's {@code env/} folder (mode 0640,
 * the shared group), mounted at {@link #ENV_MOUNT}; the container's entrypoint is the static
 * {@link HelperBinary} running a short script that
 * <ol>
 *   <li>finds the command in the image's {@code PATH} itself (BusyBox's shell would run its own applet of
 *       the same name instead), or says {@code [promokit launcher] exec <cmd> failed: ...} and exits 127
 *       (126 when it is not executable), as Docker's init would;</li>
 *   <li>reads each file into its variable (keeping trailing newlines) and exports it;</li>
 *   <li>deletes the files, so the values are on the host's disk only until the container has started;</li>
 *   <li>replaces itself with the command ({@code exec}): Docker's init stays PID 1 and signals and exit
 *       codes are the command's own.</li>
 * </ol>
 * The script's own variables start with {@code _promokit_} and are unset before the secrets are read; the
 * secrets' names are plain shell names (checked by {@code ContainerRequest}).
 */
final class SecretLauncher {

  /** Where containers see the folder of secret values. */
  static final String ENV_MOUNT = "/promokit/env";

  private static final String LOOKUP = """
      _promokit_cmd=$1
      shift
      _promokit_path=
      case $_promokit_cmd in
      */*) _promokit_path=$_promokit_cmd ;;
      *)
        set -f
        _promokit_ifs=$IFS
        IFS=:
        for _promokit_dir in ${PATH:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}; do
          if [ -f "${_promokit_dir:-.}/$_promokit_cmd" ] && [ -x "${_promokit_dir:-.}/$_promokit_cmd" ]; then
            _promokit_path=${_promokit_dir:-.}/$_promokit_cmd
            break
          fi
        done
        IFS=$_promokit_ifs
        set +f
        ;;
      esac
      if [ -z "$_promokit_path" ] || [ ! -e "$_promokit_path" ]; then
        printf '[promokit launcher] exec %s failed: No such file or directory\\n' "$_promokit_cmd" >&2
        exit 127
      fi
      if [ ! -x "$_promokit_path" ] || [ -d "$_promokit_path" ]; then
        printf '[promokit launcher] exec %s failed: Permission denied\\n' "$_promokit_cmd" >&2
        exit 126
      fi
      set -- "$_promokit_path" "$@"
      unset _promokit_cmd _promokit_path _promokit_dir _promokit_ifs
      """;

  private SecretLauncher() {}

  /**
   * The container's entrypoint for the command with the named secret variables, whose values are the
   * files {@code 0}, {@code 1}, ... of the env folder, in this order.
   */
  static List<String> entrypoint(List<String> secretNames, List<String> command) {
    StringBuilder script = new StringBuilder(LOOKUP);
    for (int i = 0; i < secretNames.size(); i++) {
      String name = secretNames.get(i);
      String file = ENV_MOUNT + "/" + i;
      script.append(name).append("=$(").append(HelperBinary.MOUNT).append(" cat ").append(file)
          .append(" && echo .) || { echo '[promokit launcher] cannot read secret env ").append(name)
          .append("' >&2; exit 125; }\n");
      script.append("export ").append(name).append("=\"${").append(name).append("%.}\"\n");
    }
    script.append(HelperBinary.MOUNT).append(" rm -f");
    for (int i = 0; i < secretNames.size(); i++) {
      script.append(' ').append(ENV_MOUNT).append('/').append(i);
    }
    script.append("\nexec \"$@\"\n");
    List<String> entrypoint = new ArrayList<>(List.of(HelperBinary.MOUNT, "sh", "-c", script.toString(), "promokit"));
    entrypoint.addAll(command);
    return entrypoint;
  }
}
