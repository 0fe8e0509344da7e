package io.promokit.runtime.k8s;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The script the step container runs under the static BusyBox from the helper image, so that the step
 * image needs no shell. It
 * <ol>
 *   <li>creates the empty {@code KARGO_OUTPUT} file,</li>
 *   <li>finds the command in the image's {@code PATH} (never a BusyBox applet in its place),</li>
 *   <li>runs it with stderr through a FIFO, whose lines it writes back tagged {@code [stderr <id>] } so that
 *       stdout and stderr can be told apart in the Pod's merged log,</li>
 *   <li>forwards SIGTERM to every process of the container (it is PID 1) and waits (quietly: the shell's
 *       own "Killed" notice would look like the step's output). The command runs under a small
 *       supervisor subshell that ignores SIGTERM and writes the command's status to a file next to
 *       {@code KARGO_OUTPUT}: the wrapper's own {@code wait} is cut short by the forwarded signal, and
 *       without the file a command that traps TERM and exits 5 could be reported as 143,</li>
 *   <li>after the command ends, writes the output file base64-encoded between two marker lines, and exits
 *       with the command's status.</li>
 * </ol>
 * The tags and markers carry a random per-attempt id, so no step output can be mistaken for them. The
 * script has no {@code $(} and no {@code $$}, which the kubelet would expand: the Pod spec shows it as it is.
 */
final class StepWrapper {

  private static final Pattern ID = Pattern.compile("[a-z0-9]{8,32}");

  private static final String SCRIPT = """
      B=@HELPER@
      T=@ID@
      : >"$KARGO_OUTPUT"
      c=$1
      shift
      p=
      case $c in
      */*) p=$c ;;
      *)
        set -f
        o=$IFS
        IFS=:
        for d in ${PATH:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}; do
          if [ -f "${d:-.}/$c" ] && [ -x "${d:-.}/$c" ]; then p=${d:-.}/$c; break; fi
        done
        IFS=$o
        set +f
        ;;
      esac
      $B mkfifo @FIFO@ || exit 125
      exec 3<>@FIFO@
      (trap '' TERM INT; exec $B awk -v t="[stderr $T] " -v e="$T-eof" \
      '{i=index($0,e); if(i){if(i>1)print t substr($0,1,i-1); exit} print t $0; fflush()}') <@FIFO@ >&2 3>&- &
      r=$!
      trap 'trap "" TERM; kill -TERM -1 2>/dev/null' TERM
      s=127
      if [ -n "$p" ]; then
        (
          trap '' TERM INT
          (trap - TERM INT; exec "$p" "$@") 2>&3 3>&- &
          wait $! 2>/dev/null
          echo $? >"$KARGO_OUTPUT.status"
        ) &
        k=$!
        wait $k 2>/dev/null
        while kill -0 $k 2>/dev/null; do wait $k 2>/dev/null; done
        s=`$B cat "$KARGO_OUTPUT.status" 2>/dev/null`
        [ -n "$s" ] || s=137
      else
        printf 'promokit: %s: command not found in PATH\\n' "$c" >&3
      fi
      printf '%s\\n' "$T-eof" >&3
      wait $r 2>/dev/null
      exec 3>&-
      n=`$B wc -c <"$KARGO_OUTPUT" 2>/dev/null` || n=0
      printf '[promokit-output %s %s]\\n' "$T" "$n"
      $B head -c @CAP@ "$KARGO_OUTPUT" 2>/dev/null | $B base64
      printf '[promokit-output-end %s %s]\\n' "$T" "$s"
      exit $s
      """;

  private final String id;
  private final int captureLimit;

  /**
   * @param id the attempt's random id (8 to 32 lower-case letters and digits)
   * @param captureLimit how many bytes of the output file to report
   */
  StepWrapper(String id, int captureLimit) {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("wrapper id must be 8 to 32 lower-case letters and digits, but was " + id);
    }
    this.id = id;
    this.captureLimit = captureLimit;
  }

  String id() {
    return id;
  }

  /** The step container's {@code command}; the step's argv follows as {@code args}. */
  List<String> command() {
    String script = SCRIPT.replace("@HELPER@", PodLayout.HELPER_BINARY)
        .replace("@ID@", id)
        .replace("@FIFO@", PodLayout.STDERR_FIFO)
        .replace("@CAP@", Integer.toString(captureLimit));
    // "promokit" is the script's $0; the step's argv becomes $1...
    return List.of(PodLayout.HELPER_BINARY, "sh", "-c", script, "promokit");
  }

  /** What starts every stderr line in the Pod's log. */
  String stderrTag() {
    return "[stderr " + id + "] ";
  }

  /** What starts the output frame's first line; the file's size and {@code ]} follow. */
  String frameStart() {
    return "[promokit-output " + id + " ";
  }

  /** What starts the output frame's last line; the command's exit status and {@code ]} follow. */
  String frameEnd() {
    return "[promokit-output-end " + id + " ";
  }
}
