#!/usr/bin/env bash
# Installs what dais needs to build and test on Debian 12, and nothing that is already there.
# Only Debian's packages are used (apt-get); it asks for sudo when not run as root.
set -euo pipefail

packages=(
  g++ cmake ninja-build git pkg-config
  libboost-dev libboost-program-options-dev
  libfmt-dev nlohmann-json3-dev librandom123-dev libeigen3-dev
  catch2
  libboost-mpi-dev libboost-serialization-dev libopenmpi-dev openmpi-bin
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "dais: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
