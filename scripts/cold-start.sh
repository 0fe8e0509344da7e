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

# median_ms <command...>: runs it once unmeasured, then $runs times; prints the median wall time and the
# median CPU time (user + system, all threads) in ms. CPU time is what a busy machine does not inflate.
median_ms() {
  "$@" >/dev/null 2>&1 || { echo "cold-start: command failed: $*" >&2; "$@" >&2 || true; exit 1; }
  local walls=() cpus=() t
  local TIMEFORMAT='%R %U %S'
  for ((i = 0; i < runs; i++)); do
    t=$({ time "$@" >/dev/null 2>&1; } 2>&1)
    read -r wall user sys <<<"$t"
    walls+=("$wall")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')")
  done
  local mw mc
  mw=$(printf '%s\n' "${walls[@]}" | sort -g | awk -v n="$runs" '{a[NR]=$1} END {printf "%.1f", a[int((n + 1) / 2)] * 1000}')
  mc=$(printf '%s\n' "${cpus[@]}" | sort -g | awk -v n="$runs" '{a[NR]=$1} END {printf "%.1f", a[int((n + 1) / 2)] * 1000}')
  echo "$mw $mc"
}

example="$root/examples/templates/promote-app.yaml"
hello=$(median_ms java -cp "$work" Hello)
render=$(median_ms "$root/promokit" render --template '${{ 1 + 2 }}')
validate=$(median_ms "$root/promokit" validate "$example")
check=$(median_ms env PROMOKIT_LAUNCHER_CHECK_ONLY=true "$root/promokit")

echo "cold start, median of $runs runs ($(java -version 2>&1 | head -1); load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-58s %10s %14s %10s %12s\n' "" "wall ms" "wall / Hello" "CPU ms" "CPU / Hello"
row() {
  awk -v label="$1" -v hw="${hello% *}" -v hc="${hello#* }" -v w="${2% *}" -v c="${2#* }" \
    'BEGIN {printf "%-58s %10.1f %13.2fx %10.1f %11.2fx\n", label, w, w / hw, c, c / hc}'
}
row "java -cp . Hello" "$hello"
row "./promokit render --template '\${{ 1 + 2 }}'" "$render"
row "./promokit validate examples/templates/promote-app.yaml" "$validate"
row "launcher staleness check alone" "$check"
