#!/usr/bin/env bash
# Installs what dais needs to build and test on Debian 12, and nothing that is already there:
# Debian's packages with apt-get (asking for sudo when not run as root), then the npm packages pinned in
# package.json and package-lock.json (solc to compile the contracts, anvil as a reference node).
# The notebooks/ need Debian's Python (/usr/bin/python3) with pandas, matplotlib, SciPy and nbconvert.
# chromium renders the HTML report of `dais report` in a test.
set -euo pipefail

packages=(
  g++ cmake ninja-build git pkg-config
  libboost-dev libboost-program-options-dev
  libfmt-dev nlohmann-json3-dev librandom123-dev libeigen3-dev
  catch2
  libboost-mpi-dev libboost-serialization-dev libopenmpi-dev openmpi-bin
  libcrypto++-dev libsecp256k1-dev libgmp-dev
  python3 python3-pandas python3-matplotlib python3-scipy
  python3-nbformat python3-nbconvert python3-ipykernel jupyter-nbconvert
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node.js and npm come with the machine on most images; from Debian when they do not.
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi

if [ ${#missing[@]} -ne 0 ]; then
  echo "dais: installing ${missing[*]}" >&2
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The exact versions of package-lock.json, unless node_modules was installed from this very lock file.
cd "$(dirname "$0")/.."
if ! cmp -s package-lock.json node_modules/.dais-installed-lock.json 2>/dev/null; then
  echo "dais: installing the npm packages of package-lock.json" >&2
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.dais-installed-lock.json
fi
