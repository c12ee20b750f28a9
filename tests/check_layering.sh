#!/usr/bin/env bash
# Fails if a library includes a header of a library it may not depend on (../shared/DESIGN.md, layers).
set -euo pipefail
root=${1:-.}
cd "$root"
declare -A allowed=(
  [core]="core"
  [ledger]="core ledger"
  [metrics]="core metrics"
  [io]="core ledger io"
  [scenario]="core ledger scenario"
  [report]="core ledger io metrics report"
  [batch]="core ledger io batch"
  [models]="core ledger metrics io scenario chain evm models"
  [chain]="evm chain"
  [evm]="evm"
  [evm_statetest]="evm evm_statetest"
)
status=0
for lib in "${!allowed[@]}"; do
  dir=sim/$lib
  [ "$lib" = models ] && dir=models
  [ "$lib" = evm_statetest ] && dir=sim/evm/statetest
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$line")
    case "$inc" in
      models/*) target=models ;;
      sim/evm/statetest/*) target=evm_statetest ;;
      sim/*) target=$(cut -d/ -f2 <<<"$inc") ;;
      tests/*) target=tests ;;
      *) continue ;;
    esac
    if ! grep -qw "$target" <<<"${allowed[$lib]}"; then
      echo "layering: $file includes $inc, but $lib may use only: ${allowed[$lib]}"
      status=1
    fi
  done < <(grep -rn '#include "' "$dir" --include='*.hpp' --include='*.cpp' $([ "$lib" = evm ] && echo --exclude-dir=statetest) || true)
done
# The EVM library itself sees no JSON and no files: those live in sim/evm/statetest.
if grep -rnE '#include <(nlohmann/|fstream|filesystem)' sim/evm --include='*.hpp' --include='*.cpp' --exclude-dir=statetest; then
  echo "layering: sim/evm may not read JSON or files (only sim/evm/statetest may)"
  status=1
fi
[ $status -eq 0 ] && echo "layering: ok"
exit $status
