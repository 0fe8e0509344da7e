#!/usr/bin/env bash
# Builds every jar of the reactor twice from clean and checks that the two builds are byte-identical
# (project.build.outputTimestamp in pom.xml fixes every archive entry's time; the rest must not depend on the
# machine, the clock or the order files are found in).
#
# Usage: scripts/check-reproducible.sh [extra Maven arguments, e.g. -o]
# Compares every jar under */target (the libraries, their -sources and -javadoc jars, the shaded
# cli/target/promokit.jar); prints one line per jar and exits non-zero when any differs.
# Tests are skipped: they do not change what is packaged.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build() { # label
  echo "check-reproducible: build $1 ..." >&2
  if ! ./mvnw -B -q clean package -DskipTests "${@:2}" >"$work/build-$1.log" 2>&1; then
    tail -n 40 "$work/build-$1.log" >&2
    echo "check-reproducible: build $1 failed" >&2
    exit 2
  fi
  find . -path ./.git -prune -o -path '*/target/*.jar' -not -path '*/target/it*' -type f -print \
    | sort | xargs sha256sum >"$work/sums-$1"
}

build 1 "$@"
build 2 "$@"

count=$(wc -l <"$work/sums-1")
if [ "$count" -eq 0 ]; then
  echo "check-reproducible: no jars were built" >&2
  exit 2
fi
if diff -u "$work/sums-1" "$work/sums-2" >"$work/diff"; then
  while read -r _ jar; do printf 'identical  %10d  %s\n' "$(stat -c %s "$jar")" "$jar"; done <"$work/sums-1"
  echo "check-reproducible: $count jars, byte-identical in two clean builds"
else
  cat "$work/diff"
  echo "check-reproducible: the builds differ (see above)" >&2
  exit 1
fi
