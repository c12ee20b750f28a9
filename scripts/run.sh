#!/usr/bin/env bash
# The main job from a fresh clone: install what is missing, build (Release), run the default scenario batch.
# Extra arguments go to `dais run` (e.g. --jobs 2 --out results/mine).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
./build/release/sim/app/dais run scenarios/baseline.json "$@"
