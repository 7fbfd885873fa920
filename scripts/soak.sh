#!/usr/bin/env bash
# Soak tests: a long run of mixed, concurrent load with every answer checked,
# then memory and descriptors compared with the baseline after a warm-up.
#   scripts/soak.sh proxy [MINUTES]   aks-proxy against fake-apiserver (default 10 minutes)
# The proxy run: requests (pod lists, echoed POST bodies up to 300 KB, refused
# and unknown paths), watches that open and close while events are emitted,
# exec `cat` over WebSocket, and clients that vanish mid-head, mid-body or
# before reading, all at once (tests/integration/proxy_soak.py). It passes when
# no answer was wrong, no client connection is left open, the descriptors other
# than pooled upstream connections are back to the baseline (+2), and RSS is
# within max(8 MiB, 25 %) of it. The test command runs it for one minute
# (tests/integration/test_proxy_soak.sh). Uses the Release build in build/.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/soak.sh proxy [MINUTES]" >&2; exit 2; }
(($# >= 1 && $# <= 2)) && [[ $1 == proxy ]] || usage
minutes=${2:-10}
[[ $minutes =~ ^[0-9]+$ && $minutes -gt 0 ]] || { echo "soak.sh: MINUTES must be a positive integer, got '$minutes'" >&2; exit 2; }

export AKS_SOURCE_DIR=${AKS_SOURCE_DIR:-$PWD}
export AKS_BIN_DIR=${AKS_BIN_DIR:-$PWD/build/bin}
[[ -x $AKS_BIN_DIR/aks-proxy && -x $AKS_BIN_DIR/fake-apiserver ]] ||
    { echo "soak.sh: build first (cmake --build build): $AKS_BIN_DIR/aks-proxy is missing" >&2; exit 1; }
source tests/integration/lib.sh
source tests/integration/proxy_lib.sh
proxy_setup
proxy_login || fail "login failed"
# exec is allowed (the soak drives it over WebSocket); attach stays refused.
start_proxy --quiet --reject-paths '^/api/.*/pods/.*/attach'
python3 tests/integration/proxy_soak.py --port "$PROXY_PORT" --pid "$PROXY_PID" --upstream-port "$APISERVER_PORT" \
    --seconds "$((minutes * 60))" || fail "proxy soak failed"
kill -0 "$PROXY_PID" || fail "aks-proxy is not running at the end"
pass "proxy soak, $minutes minute(s)"
