#!/usr/bin/env bash
# Cold start of the promokit command against a Hello-world on the same JVM, from one run: each command runs
# N times (default 11) after one unmeasured run, and the median wall time of each is compared with the
# Hello-world's. The launcher's staleness check is included (it is part of ./promokit) and also timed alone.
#   scripts/cold-start.sh [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-11}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cat >"$work/Hello.java" <<'JAVA'
public class Hello {
  public static void main(String[] args) {
    System.out.println("Hello, world!");
  }
}
JAVA
javac -d "$work" "$work/Hello.java"

# Builds the jar (and the class-data archive) if needed, outside the measurement.
"$root/promokit" --version >/dev/null

now_ns() { date +%s%N; }

# median_ms <command...>: runs it once unmeasured, then $runs times; prints the median in ms.
median_ms() {
  "$@" >/dev/null 2>&1 || { echo "cold-start: command failed: $*" >&2; "$@" >&2 || true; exit 1; }
  local times=()
  for ((i = 0; i < runs; i++)); do
    local t0 t1
    t0=$(now_ns)
    "$@" >/dev/null 2>&1
    t1=$(now_ns)
    times+=($(((t1 - t0) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$runs" '{a[NR]=$1} END {printf "%.1f", a[int((n + 1) / 2)] / 1000}'
}

example="$root/examples/templates/promote-app.yaml"
hello=$(median_ms java -cp "$work" Hello)
render=$(median_ms "$root/promokit" render --template '${{ 1 + 2 }}')
validate=$(median_ms "$root/promokit" validate "$example")
check=$(median_ms env PROMOKIT_LAUNCHER_CHECK_ONLY=true "$root/promokit")

echo "cold start, median of $runs runs ($(java -version 2>&1 | head -1); load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-58s %8s ms\n' "java -cp . Hello" "$hello"
awk -v h="$hello" -v t="$render" 'BEGIN {printf "%-58s %8.1f ms  %5.2fx Hello\n", "./promokit render --template '"'"'${{ 1 + 2 }}'"'"'", t, t / h}'
awk -v h="$hello" -v t="$validate" 'BEGIN {printf "%-58s %8.1f ms  %5.2fx Hello\n", "./promokit validate examples/templates/promote-app.yaml", t, t / h}'
awk -v h="$hello" -v t="$check" 'BEGIN {printf "%-58s %8.1f ms  %5.2fx Hello\n", "launcher staleness check alone", t, t / h}'
