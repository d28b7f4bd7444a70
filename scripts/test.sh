#!/usr/bin/env bash
# Every test, every layer: native (ASan+UBSan), the same GoogleTest suite compiled to wasm under
# Node, a short libFuzzer run per parser, the .d.ts check, the JS unit tests, and end-to-end
# tests of the packed tarball in every runtime the README names (Node ESM and CJS, Express, workerd,
# wrangler, Deno, Bun, Vercel's edge-runtime, headless Chromium, Vite and webpack builds).
# Exits non-zero if any layer fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
jobs=$(nproc)
fuzz_seconds=${FUZZ_SECONDS:-60}
step() { printf '\n=== %s\n' "$*"; }

step setup
bash scripts/setup.sh

step "build: wasm module"
bash scripts/build.sh

step "C++ tests, native with ASan+UBSan"
cmake -S . -B build/asan -DEDGEGUARD_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build/asan -j"$jobs"
for t in build/asan/tests/edgeguard_*_tests; do
  "$t" --gtest_brief=1
done

step "C++ tests compiled to wasm, under Node"
cmake --build build/wasm -j"$jobs"
for t in build/wasm/tests/edgeguard_*_tests.js; do
  node --no-experimental-fetch "$t" --gtest_brief=1
done

step "fuzzing, ${fuzz_seconds}s per target"
CXX=clang++ cmake -S . -B build/fuzz -DEDGEGUARD_FUZZ=ON -DEDGEGUARD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fuzzers=$(find tests/fuzz -name '*_fuzz.cpp' -exec basename {} .cpp \;)
# shellcheck disable=SC2086  # one target name per word
cmake --build build/fuzz -j"$jobs" --target $fuzzers
for f in build/fuzz/fuzzers/*_fuzz; do
  name=$(basename "$f")
  seeds=$(find tests/fuzz -type d -name "${name%_fuzz}_corpus" | head -1)
  mkdir -p "build/fuzz/corpus/$name"
  log="build/fuzz/$name.log"
  if ! "$f" -max_total_time="$fuzz_seconds" -max_len=4096 -print_final_stats=1 -artifact_prefix=build/fuzz/ \
      "build/fuzz/corpus/$name" ${seeds:+"$seeds"} >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz: $name found a failure (input saved in build/fuzz/crash-*)"
    exit 1
  fi
  echo "fuzz: $name $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') runs, no failure"
done

step "types: tsc --noEmit on a consumer"
npx --no-install tsc -p tests/types

step "JS unit tests (node --test)"
node --test tests/js/

step "end-to-end: the packed tarball in every runtime (README: Runtime matrix)"
# Packs once for all e2e tests (the same npm pack + install a test run alone does for itself).
e2e=$(env -u EDGEGUARD_E2E_DIR node --input-type=module \
  -e "import { installedPackage } from './tests/e2e/installed-package.js'; console.log(installedPackage())")
EDGEGUARD_E2E_DIR="$e2e" node --test --test-concurrency=1 tests/e2e/
