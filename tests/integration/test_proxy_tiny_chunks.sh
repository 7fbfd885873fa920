#!/usr/bin/env bash
# aks-proxy relays correctly when every read returns a byte or so: a client
# that sends each byte in a write of its own (heads included, Nagle off) and a
# TLS upstream (tests/fakes/trickle-upstream) that does the same, for request
# bodies (1-byte chunks, and Content-Length), a chunked response of 1-byte
# chunks, and a 101-upgraded tunnel echoing byte by byte.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
proxy_identity_setup
start_trickle_upstream
# The kubeconfig's cluster is the trickle upstream (write_kubeconfig takes APISERVER_URL).
APISERVER_URL=$TRICKLE_URL
KUBECONFIG_FILE=$WORK/kubeconfig
write_kubeconfig "$KUBECONFIG_FILE"
proxy_login || fail "login failed: $(cat "$WORK/login.log")"
# kubectl proxy's default --reject-paths refuses only exec/attach; refuse nothing.
start_proxy --reject-paths '^$'

# Without the proxy's token the upstream refuses: its 200s below mean the proxy injected one.
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$PKI/ca.pem" "$TRICKLE_URL/trickle?bytes=1")
assert_eq 401 "$code" "trickle-upstream without a token"
pass "the upstream insists on a bearer token"

client() {  # mode bytes
    node "$AKS_SOURCE_DIR/tests/fakes/trickle-upstream/client.js" "$PROXY_PORT" "$1" "$2" >"$WORK/client-$1.out" 2>&1 ||
        fail "$1 through the proxy: $(cat "$WORK/client-$1.out")"
    cat "$WORK/client-$1.out"
}

client echo 20000
grep -c '^ok echo' "$WORK/client-echo.out" | grep -qx 2 || fail "echo checks: $(cat "$WORK/client-echo.out")"
[[ $(grep -c 'aks-proxy: POST /echo 200 20000B ' "$WORK/proxy.log") == 2 ]] ||
    fail "access log for the echoes: $(grep 'POST /echo' "$WORK/proxy.log")"
pass "request bodies of 20000 bytes, one byte per write, chunked and with Content-Length"

client trickle 5000
[[ $(grep -c 'aks-proxy: GET /trickle 200 5000B ' "$WORK/proxy.log") == 2 ]] ||
    fail "access log for the trickles: $(grep 'trickle' "$WORK/proxy.log")"
pass "responses of 5000 one-byte chunks, twice on one client connection"

client tunnel 5000
grep -Eq 'aks-proxy: GET /tunnel 101 [0-9]+B [0-9]+ms upgraded$' "$WORK/proxy.log" ||
    fail "access log for the tunnel: $(grep 'tunnel' "$WORK/proxy.log")"
pass "upgraded tunnel: 5000 bytes each way, one byte per write"

# The upstream saw only authorised requests from the proxy, and never dropped one mid-way.
assert_eq 1 "$(grep -c " 401\$" "$WORK/trickle-upstream.log")" "401s at the upstream (only the direct request)"
grep -q 'connection dropped' "$WORK/trickle-upstream.log" &&
    fail "the upstream saw a broken exchange: $(cat "$WORK/trickle-upstream.log")"
assert_no_token_in "$WORK/proxy.log" "$WORK/trickle-upstream.log" "$WORK"/client-*.out
pass "no token in the proxy's, the upstream's or the client's output"
