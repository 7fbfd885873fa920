#!/usr/bin/env bash
# @kubernetes/client-node (npm) through aks-proxy: list, watch and exec with
# no credentials in the client; curl for plain requests. No token in the
# proxy's output.
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/../integration/proxy_lib.sh"
command -v node >/dev/null || fail "node is not installed"
[[ -d $AKS_SOURCE_DIR/tests/e2e/node_modules/@kubernetes/client-node ]] || fail "npm packages are not installed"
proxy_setup
proxy_login || fail "login failed"
start_proxy --reject-paths '^$'

assert_eq 200 "$(curl -s -o "$WORK/version.json" -w '%{http_code}' "$PROXY_URL/version")" "curl /version"
jq -e .gitVersion "$WORK/version.json" >/dev/null || fail "version body: $(cat "$WORK/version.json")"
pass "curl"

cat >"$WORK/emit.sh" <<EMIT
curl -fsS --cacert "$PKI/ca.pem" -H 'Content-Type: application/json' \
    -d '{"type":"ADDED","name":"node-client-pod","namespace":"default"}' "$APISERVER_URL/_control/emit" >/dev/null
EMIT
(cd "$AKS_SOURCE_DIR/tests/e2e" && node proxy_client.mjs "$PROXY_URL" "$WORK/emit.sh") >"$WORK/node.out" 2>&1 ||
    fail "node client: $(cat "$WORK/node.out")"
cat "$WORK/node.out"
assert_no_token_in "$WORK/proxy.log" "$WORK/node.out"
