#!/usr/bin/env bash
# Builds the wasm modules into dist/ (and the CJS bundle), from the same CMakeLists as the native
# tests. Incremental: re-running only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
# emcc's JS optimizer needs Debian's acorn (../shared/TOOLCHAIN.md).
export NODE_PATH=/usr/share/nodejs
# js/seam/ from the C++ values tagged `// seam:` (committed, as npm ships js/).
node scripts/gen-seam.js
build=build/wasm
# Configured every time (a second or two once cached): a build folder from before a new target
# was added would not know it.
emcmake cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DEDGEGUARD_TESTS=ON \
  "-DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node;--no-experimental-fetch" >/dev/null
# Every module the package ships (the whole one and each feature's): wasm/CMakeLists.txt.
cmake --build "$build" --target edgeguard_wasm_modules -j"$(nproc)"
node scripts/bundle-node.js
