#!/usr/bin/env bash
# The whole test suite from a fresh clone: install what is missing, build (Release, warnings as errors),
# run ctest. Pass -LE long to skip the long tests: bash scripts/test.sh -LE long
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release "$@"
