#!/usr/bin/env bash
# Prints what a host gets with promokit: for each module named (default: core runtime-docker runtime-k8s), the
# jars on its runtime class path (the module's own jar and the promokit modules it uses included) and their
# size; then the size of the promokit command's jar, with and without the native libraries a step family
# bundles (helm-java's Helm library, helm-linux-amd64.so, counted as the compressed entry inside the jar).
#
# Usage: scripts/footprint.sh [module ...]     (builds what it measures, tests skipped; nothing is installed)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

modules=("${@:-core}")
[ $# -gt 0 ] || modules=(core runtime-docker runtime-k8s)
list=$(IFS=,; echo "${modules[*]},cli")

./mvnw -B -q package dependency:list -pl "$list" -am -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
  -DincludeScope=runtime -DoutputAbsoluteArtifactFilename=true -Dmdep.outputScope=false \
  -DoutputFile=target/runtime-classpath.txt >/dev/null

for module in "${modules[@]}"; do
  own=$(ls "$module"/target/promokit-*.jar | grep -v -- '-sources\|-javadoc' | head -n 1)
  jars=("$own")
  while read -r line; do
    line=${line%% -- *}
    path=${line##*:}
    case "$path" in
      */target/classes) path=$(ls "${path%/classes}"/promokit-*.jar | grep -v -- '-sources\|-javadoc' | head -n 1) ;;
    esac
    [ -f "$path" ] && jars+=("$path")
  done < <(grep -E '^ +[^ ]+:' "$module/target/runtime-classpath.txt")
  bytes=$(stat -c %s "${jars[@]}" | awk '{s += $1} END {print s}')
  printf '%-16s %3d jars  %6.1f MB\n' "$module" "${#jars[@]}" "$(echo "$bytes" | awk '{print $1 / 1000000}')"
  for jar in "${jars[@]}"; do printf '    %9d  %s\n' "$(stat -c %s "$jar")" "$(basename "$jar")"; done
done

cli=cli/target/promokit.jar
total=$(stat -c %s "$cli")
native=$(unzip -lv "$cli" | awk '$8 ~ /\.so$|\.dylib$|\.dll$/ && $8 !~ /^com\/sun\/jna\// {s += $3} END {print s + 0}')
printf 'promokit.jar     %6.1f MB, %6.1f MB without bundled native step libraries (%.1f MB)\n' \
  "$(echo "$total" | awk '{print $1 / 1000000}')" "$(echo "$total $native" | awk '{print ($1 - $2) / 1000000}')" \
  "$(echo "$native" | awk '{print $1 / 1000000}')"
