#!/usr/bin/env bash
# Cold start of the promokit command against a Hello-world on the same JVM, from one run: each command runs
# N times (default 11), interleaved with the others, after one unmeasured run, and the median wall time of each
# is compared with the Hello-world's. The launcher's staleness check is included (it is part of ./promokit)
# and also timed alone.
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

# Each round runs every command once, in turn (after one unmeasured round), so that a machine whose load drifts
# during the measurement weighs on all of them alike. For each command: the median wall time and the median CPU
# time (user + system, all threads) in ms. CPU time is what a busy machine does not inflate.
example="$root/examples/templates/promote-app.yaml"
command_0() { java -cp "$work" Hello; }
command_1() { "$root/promokit" render --template '${{ 1 + 2 }}'; }
command_2() { "$root/promokit" validate "$example"; }
command_3() { PROMOKIT_LAUNCHER_CHECK_ONLY=true "$root/promokit"; }
commands=(0 1 2 3)
declare -a walls cpus
for i in "${commands[@]}"; do
  "command_$i" >/dev/null 2>&1 || { echo "cold-start: command $i failed:" >&2; declare -f "command_$i" >&2; exit 1; }
done
TIMEFORMAT='%R %U %S'
for ((round = 0; round < runs; round++)); do
  for i in "${commands[@]}"; do
    t=$({ time "command_$i" >/dev/null 2>&1; } 2>&1)
    read -r wall user sys <<<"$t"
    walls[i]+="$wall "
    cpus[i]+="$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}') "
  done
done
median() { # median of the numbers given, seconds in, ms out
  printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR + 1) / 2)] * 1000}'
}
result() { echo "$(median "${walls[$1]}") $(median "${cpus[$1]}")"; }
hello=$(result 0)
render=$(result 1)
validate=$(result 2)
check=$(result 3)

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
