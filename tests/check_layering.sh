#!/usr/bin/env bash
# Fails if a library includes a header of a library it may not depend on (../shared/DESIGN.md, layers).
set -euo pipefail
root=${1:-.}
cd "$root"
declare -A allowed=(
  [core]="core"
  [ledger]="core ledger"
  [metrics]="metrics"
  [io]="core ledger io"
  [scenario]="core ledger scenario"
  [batch]="core ledger io batch"
  [models]="core ledger metrics io scenario models"
)
status=0
for lib in "${!allowed[@]}"; do
  dir=sim/$lib
  [ "$lib" = models ] && dir=models
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$line")
    case "$inc" in
      models/*) target=models ;;
      sim/*) target=$(cut -d/ -f2 <<<"$inc") ;;
      tests/*) target=tests ;;
      *) continue ;;
    esac
    if ! grep -qw "$target" <<<"${allowed[$lib]}"; then
      echo "layering: $file includes $inc, but $lib may use only: ${allowed[$lib]}"
      status=1
    fi
  done < <(grep -rn '#include "' "$dir" --include='*.hpp' --include='*.cpp' || true)
done
[ $status -eq 0 ] && echo "layering: ok"
exit $status
