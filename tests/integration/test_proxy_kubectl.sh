#!/usr/bin/env bash
# The preinstalled kubectl through aks-proxy with no credentials of its own:
# get, get -w (events arrive as the fake emits them), logs -f, exec with a
# stdin round trip over WebSocket, auth can-i; then SIGTERM with a watch open
# exits 0. No token in anything the proxy printed.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
proxy_setup
proxy_login || fail "login failed: $(cat "$WORK/login.log")"
# kubectl proxy's default refuses exec/attach; this test opens them up.
start_proxy --reject-paths '^$'
grep -q "^Starting to serve on 127.0.0.1:$PROXY_PORT\$" "$WORK/proxy.log" || fail "start line: $(cat "$WORK/proxy.log")"

kubectl_via_proxy get pods >"$WORK/get.out" 2>&1 || fail "get pods: $(cat "$WORK/get.out")"
grep -q '^web-7d9c6b8f5d-4xk2p ' "$WORK/get.out" || fail "get pods output: $(cat "$WORK/get.out")"
pass "kubectl get pods"

# get -w: the watch is open at the fake before the event is emitted.
kubectl_via_proxy get pods -w >"$WORK/watch.out" 2>&1 &
watch_pid=$!
watches_open() { [[ $(apiserver_control streams | jq .watches) -ge 1 ]]; }
wait_until "the watch" watches_open
assert_eq '{"delivered":1}' "$(apiserver_control emit '{"type":"ADDED","name":"emitted-pod-1","namespace":"default"}')" "emit"
wait_until "the watch event" grep -q '^emitted-pod-1 ' "$WORK/watch.out"
assert_eq '{"delivered":1}' "$(apiserver_control emit '{"type":"ADDED","name":"emitted-pod-2","namespace":"default"}')" "emit 2"
wait_until "the second watch event" grep -q '^emitted-pod-2 ' "$WORK/watch.out"
pass "kubectl get pods -w"

# logs -f
kubectl_via_proxy logs -f web-7d9c6b8f5d-4xk2p >"$WORK/logs.out" 2>&1 &
logs_pid=$!
followers() { [[ $(apiserver_control streams | jq .logs) -ge 1 ]]; }
wait_until "the log follower" followers
wait_until "the first log lines" grep -q 'ready' "$WORK/logs.out"
apiserver_control log '{"line":"followed line 1"}' >/dev/null
wait_until "the followed line" grep -q '^followed line 1$' "$WORK/logs.out"
kill "$logs_pid"
pass "kubectl logs -f"

# exec: stdin → cat → stdout, byte for byte, over WebSocket v5.channel.k8s.io.
head -c 30000 /dev/urandom | base64 >"$WORK/stdin.txt"
kubectl_via_proxy exec -i web-7d9c6b8f5d-4xk2p -- cat <"$WORK/stdin.txt" >"$WORK/exec.out" 2>"$WORK/exec.err" ||
    fail "exec: $(cat "$WORK/exec.err")"
cmp -s "$WORK/stdin.txt" "$WORK/exec.out" || fail "exec stdin round trip differs"
assert_eq "hello from exec" "$(kubectl_via_proxy exec web-7d9c6b8f5d-4xk2p -- echo hello from exec)" "exec echo"
grep -q 'GET /api/v1/namespaces/default/pods/web-7d9c6b8f5d-4xk2p/exec 101 .* upgraded' "$WORK/proxy.log" ||
    fail "access log lacks the upgrade"
pass "kubectl exec (stdin round trip)"

assert_eq yes "$(kubectl_via_proxy auth can-i list pods)" "auth can-i"
pass "kubectl auth can-i"

# A kubeconfig without credentials that points at the running proxy.
"$AKS_BIN_DIR/aks-proxy" kubeconfig --kubeconfig "$KUBECONFIG_FILE" --context fake-aks --port "$PROXY_PORT" \
    >"$WORK/proxy.kubeconfig" || fail "aks-proxy kubeconfig"
grep -q "server: http://127.0.0.1:$PROXY_PORT" "$WORK/proxy.kubeconfig" || fail "proxy kubeconfig: $(cat "$WORK/proxy.kubeconfig")"
kubectl --kubeconfig "$WORK/proxy.kubeconfig" get pods >"$WORK/get2.out" 2>&1 || fail "kubectl with the proxy kubeconfig: $(cat "$WORK/get2.out")"
grep -q '^web-7d9c6b8f5d-4xk2p ' "$WORK/get2.out" || fail "get pods via the proxy kubeconfig"
pass "aks-proxy kubeconfig"

# SIGTERM with a watch still open: the proxy closes it and exits 0.
kill -TERM "$PROXY_PID"
status=0
wait "$PROXY_PID" || status=$?
assert_eq 0 "$status" "exit status after SIGTERM"
wait "$watch_pid" 2>/dev/null || true
pass "SIGTERM with an open watch: exit 0"

assert_no_token_in "$WORK/proxy.log" "$WORK/get.out" "$WORK/watch.out" "$WORK/logs.out" "$WORK/proxy.kubeconfig"
pass "no token in the proxy's output"
