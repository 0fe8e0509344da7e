#!/usr/bin/env bash
# Rewrites references to moved types (scripts/api-moves.txt, lines "old.fqn.Name new.fqn.Name") in the given
# files or folders (default: every tracked *.java file): imports and fully qualified names. Method renames and
# constructor-to-builder changes (lines with '#') are listed for a person to apply; so are classes of package
# io.promokit that used a moved type without an import: the compiler names them ("cannot find symbol").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
moves=scripts/api-moves.txt
if (($#)); then
  mapfile -t files < <(find "$@" -name '*.java' -not -path '*/target/*')
else
  mapfile -t files < <(git ls-files '*.java')
fi
((${#files[@]})) || exit 0
while read -r old new; do
  [[ -z "$old" || "$old" == \#* || "$old" == *'#'* ]] && continue
  sed -i -E "s/\\b${old//./\\.}\\b/${new}/g" "${files[@]}"
done < "$moves"
echo "api-moves: type moves applied to ${#files[@]} files; see the '#' lines of $moves for method renames"
