#!/usr/bin/env bash
# Runs every test: set-up (packages + Release build), the unit tests once more
# under AddressSanitizer/UndefinedBehaviorSanitizer, a brief libFuzzer run of
# the proxy's request path, then the whole ctest suite (unit, integration
# against the fakes, e2e with the preinstalled kubectl, a one-minute proxy soak).
set -euo pipefail
cd "$(dirname "$0")/.."

# Each phase says how long the run has taken so far (CI has 90 minutes; the
# whole suite should stay well under 20).
phase() { echo "== $* ($((SECONDS / 60)) min $((SECONDS % 60)) s so far)"; }

scripts/setup.sh

jobs=$(nproc)

# One clang build serves both sanitizer phases: ASan/UBSan everywhere, and
# the fuzz targets linked with libFuzzer, which replay their corpora in ctest.
export AKS_FUZZ_BUILD_DIR=build-sanitize AKS_FUZZ_BUILD_TYPE=Debug
phase "unit tests and fuzz corpus replays under ASan/UBSan (clang, build-sanitize/)"
# Configured as scripts/fuzz.sh configures it, so that its run rebuilds nothing.
CC=clang CXX=clang++ cmake -S . -B "$AKS_FUZZ_BUILD_DIR" -DCMAKE_BUILD_TYPE="$AKS_FUZZ_BUILD_TYPE" -DAKS_FUZZ=ON >/dev/null
cmake --build "$AKS_FUZZ_BUILD_DIR" --target aks-unit-tests aks-fuzz-targets -j"$jobs"
(cd "$AKS_FUZZ_BUILD_DIR" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest -L 'unit|fuzz' --output-on-failure -j"$jobs")

phase "the proxy's request path under libFuzzer, briefly (the same build)"
AKS_FUZZ_MERGE=0 scripts/fuzz.sh fuzz_proxy_request 15

phase "all tests (Release)"
(cd build && ctest --output-on-failure -j"$jobs")
phase "done"
