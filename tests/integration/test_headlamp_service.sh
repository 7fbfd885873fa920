#!/usr/bin/env bash
# aks-proxy --headlamp-service NS/NAME: Headlamp reached through the API
# server's service proxy (tests/fakes/fake-headlamp/service_proxy.js, which
# like kube-apiserver checks and then drops Authorization), so the token
# reaches Headlamp as the headlamp-auth-main cookie aks-proxy adds: the page,
# the pod list and a watch WebSocket work, with no kubectl port-forward.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
proxy_setup
proxy_login || fail "login failed"
start_fake_headlamp
token=$(aks_token get-token "${LOGIN_FLAGS[@]}" </dev/null | jq -r .status.token)

node "$AKS_SOURCE_DIR/tests/fakes/fake-headlamp/service_proxy.js" --cert "$PKI/server.pem" --key "$PKI/server-key.pem" \
    --backend "$HEADLAMP_URL" --service headlamp/headlamp:http --apiserver "$APISERVER_URL" --ca "$PKI/ca.pem" \
    --port-file "$WORK/svc.port" >"$WORK/svc.log" 2>&1 &
_pids+=($!)
SVC_URL=https://127.0.0.1:$(_wait_port_file "$WORK/svc.port" $! fake-service-proxy)
KUBECONFIG_FILE=$WORK/svc.kubeconfig
APISERVER_URL=$SVC_URL write_kubeconfig "$KUBECONFIG_FILE"
start_proxy --headlamp-service headlamp/headlamp --no-browser
P=$PROXY_PORT

code() { curl -s -o "$WORK/body" -w '%{http_code}' "$@"; }
assert_eq 401 "$(code "$PROXY_URL/")" "without the launch cookie"
curl -s -o "$WORK/launch.body" -D "$WORK/launch.h" -c "$WORK/jar" "$(launch_url)"
grep -qF 'content="0;url=/"' "$WORK/launch.body" || fail "launch: $(cat "$WORK/launch.body")"
assert_eq 200 "$(code -b "$WORK/jar" "$PROXY_URL/")" "Headlamp page via the service proxy"
grep -q 'fake Headlamp' "$WORK/body" || fail "page: $(head -c 200 "$WORK/body")"
SESSION=$(grep -o "aks-proxy-$P=[^;[:space:]]*" "$WORK/launch.h" | head -n1)
assert_eq 200 "$(code -H "Cookie: headlamp-auth-main=stale-token; $SESSION" \
    "$PROXY_URL/clusters/main/api/v1/namespaces/default/pods")" "pod list via the service proxy"
[[ $(jq '.items | length' "$WORK/body") -ge 1 ]] || fail "pod list: $(head -c 300 "$WORK/body")"
fp=$(fake_fingerprint "$token")
assert_eq "$fp" "$(curl -fsS --cacert "$PKI/ca.pem" "$SVC_URL/_fake/seen" | jq -r '.[-1].fingerprint')" "token at the service proxy"
assert_eq "cookie $fp" "$(curl -fsS "$HEADLAMP_URL/_fake/seen" | jq -r '.[-1] | "\(.source) \(.fingerprint)"')" "credential at Headlamp"
pass "page and pod list through the API server's service proxy; token as the headlamp-auth cookie"

ws_open ws.out "ws://$PROXY_HOST:$P/clusters/main/api/v1/namespaces/default/pods?watch=1" \
    "Cookie: $SESSION" "Origin: $PROXY_URL"
wait_until "the WebSocket" grep -qx open "$WORK/ws.out"
watches_open() { [[ $(apiserver_control streams | jq .watches) -ge 1 ]]; }
wait_until "the watch at the API server" watches_open
apiserver_control emit '{"type":"ADDED","name":"svc-pod-1","namespace":"default"}' >/dev/null
wait_until "the watch event over the WebSocket" grep -q '"svc-pod-1"' "$WORK/ws.out"
pass "watch WebSocket through the service proxy"
assert_no_token_in "$WORK/proxy.log" "$WORK/ws.out"
