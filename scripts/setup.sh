#!/usr/bin/env bash
# Installs what is missing on a fresh Debian machine (run as root, or with sudo available);
# safe to run any number of times: it only installs what is absent.
set -euo pipefail
cd "$(dirname "$0")/.."

# redis-server and redis-tools (redis-cli): the tests start their own servers and clusters.
# nlohmann-json3-dev: the C++ tests' only (they build documents with it; the reader's fuzzer
# compares against it), the core reads JSON with its own reader.
packages=(emscripten nlohmann-json3-dev googletest cmake make g++ clang libclang-rt-14-dev chromium
  redis-server redis-tools)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  # RUNLEVEL=1: invoke-rc.d then leaves redis-server's system service stopped; tests run their own.
  $sudo env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Only when node_modules is absent or older than the lockfile. `npm install` (which keeps the
# lockfile's versions) rather than `npm ci`: the registry here lacks workerd's darwin and
# windows binaries, so the lockfile cannot list them and `npm ci` refuses it as out of sync.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
