#!/usr/bin/env bash
# aks-proxy's refusals, each with its documented answer: foreign Host (403),
# cross-origin Origin on GET, POST and upgrades (403), Sec-Fetch-Site
# cross-site, same-site, repeated or unknown (403), smuggling shapes (400),
# 64 KiB of headers (431), a slow header writer (closed, no answer), kubectl
# proxy's default exec refusal and the kubelet's run/exec/attach through
# nodes/proxy (403; a given --reject-paths replaces the default). A client
# Authorization header is replaced, redirects come back unfollowed, /healthz
# is local, the Unix socket is 0600, and no token appears in the proxy's -v
# output.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
proxy_setup
proxy_login || fail "login failed"
start_proxy --header-timeout 1 -v 2
P=$PROXY_PORT

code() { curl -s -o "$WORK/body" -w '%{http_code}' "$@"; }

# Raw bytes in, everything the proxy answers out (it closes after these).
raw() {
    exec 3<>"/dev/tcp/127.0.0.1/$P"
    printf '%b' "$1" >&3
    timeout 10 cat <&3 || true
    exec 3<&-
}
status_of() { head -n1 | tr -d '\r'; }

assert_eq 200 "$(code "$PROXY_URL/api/v1/namespaces/default/pods")" "plain request"
assert_eq 200 "$(code -H "Host: localhost:$P" "$PROXY_URL/version")" "Host localhost"
assert_eq 200 "$(code -H "Host: [::1]:$P" "$PROXY_URL/version")" "Host [::1]"
assert_eq 403 "$(code -H 'Host: evil.example' "$PROXY_URL/version")" "evil Host"
grep -q '"reason":"Forbidden"' "$WORK/body" || fail "403 body is not a Status: $(cat "$WORK/body")"
assert_eq 403 "$(code -H "Host: evil.example:$P" "$PROXY_URL/version")" "evil Host with port"
pass "Host checks (DNS rebinding)"

assert_eq 403 "$(code -H 'Origin: http://evil.example' "$PROXY_URL/api/v1/namespaces/default/pods")" "cross-origin GET"
assert_eq 403 "$(code -X POST -H 'Origin: http://evil.example' -H 'Content-Type: application/json' -d '{}' \
    "$PROXY_URL/api/v1/namespaces/default/pods")" "cross-origin POST"
assert_eq 403 "$(code -H 'Origin: null' "$PROXY_URL/version")" "Origin null"
assert_eq 403 "$(code -H 'Origin: http://evil.example' -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
    -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \
    -H 'Sec-WebSocket-Protocol: v5.channel.k8s.io' \
    "$PROXY_URL/api/v1/namespaces/default/pods/web-7d9c6b8f5d-4xk2p/portforward?ports=80")" "cross-origin upgrade"
assert_eq 200 "$(code -H "Origin: http://127.0.0.1:$P" "$PROXY_URL/version")" "same-origin GET"
pass "Origin checks (cross-site requests and WebSocket hijacking)"

# Sec-Fetch-Site (finding F3): what a page sends without Origin is still marked.
mark=$(upstream_mark)
for site in bogus Cross-Site cross-site same-site; do
    assert_eq 403 "$(code -H "Sec-Fetch-Site: $site" "$PROXY_URL/api/v1/namespaces/fetch-site-$site/secrets")" "Sec-Fetch-Site: $site"
done
grep -q 'Sec-Fetch-Site: same-site' "$WORK/body" || fail "403 body does not say why: $(cat "$WORK/body")"
assert_eq 403 "$(code -H 'Sec-Fetch-Site: none' -H 'Sec-Fetch-Site: none' "$PROXY_URL/api/v1/namespaces/fetch-site-two/secrets")" \
    "two Sec-Fetch-Site fields"
assert_eq 200 "$(code -H 'Sec-Fetch-Site: same-origin' "$PROXY_URL/api/v1/namespaces/default/pods")" "same-origin"
assert_eq 200 "$(code -H 'Sec-Fetch-Site: none' "$PROXY_URL/api/v1/namespaces/default/pods")" "none (typed URL)"
grep -q fetch-site- <<<"$(upstream_since "$mark")" && fail "a refused Sec-Fetch-Site request reached the API server"
pass "Sec-Fetch-Site: cross-site, same-site, repeated or unknown refused (403, nothing upstream); same-origin and none pass"

# kubectl proxy's default --reject-paths refuses exec and attach, even encoded.
assert_eq 403 "$(code "$PROXY_URL/api/v1/namespaces/default/pods/web-7d9c6b8f5d-4xk2p/exec?command=id")" "exec refused"
assert_eq 403 "$(code "$PROXY_URL/api/v1/namespaces/default/pods/web-7d9c6b8f5d-4xk2p/ex%65c?command=id")" "encoded exec refused"
assert_eq 400 "$(code --path-as-is "$PROXY_URL/api/v1/namespaces/default/pods/x/../web-7d9c6b8f5d-4xk2p/exec")" "dot segments"
pass "default path rules"

# The kubelet's run, exec and attach through the node proxy (finding F4) are
# in the default too; the rest of the kubelet API is not.
mark=$(upstream_mark)
for p in run/default/web-0/app exec/default/web-0/app attach/default/web-0/0f1e2d/app ex%65c/default/web-0/app; do
    assert_eq 403 "$(code -X POST "$PROXY_URL/api/v1/nodes/aks-node-1/proxy/$p?command=id")" "nodes/proxy/$p"
done
assert_eq 403 "$(code "$PROXY_URL/api/v1/nodes/aks-node-1:10250/proxy/exec/default/web-0/app?command=id")" "node:port"
code "$PROXY_URL/api/v1/nodes/aks-node-1/proxy/metrics" >/dev/null
code "$PROXY_URL/api/v1/nodes/aks-node-1/proxy/portForward/default/web-0" >/dev/null
seen=$(upstream_since "$mark")
grep -q 'GET /api/v1/nodes/aks-node-1/proxy/metrics ' <<<"$seen" || fail "nodes/proxy/metrics not forwarded: $seen"
grep -q 'GET /api/v1/nodes/aks-node-1/proxy/portForward/' <<<"$seen" || fail "nodes/proxy/portForward not forwarded: $seen"
grep -qE 'proxy/(run|exec|attach)' <<<"$seen" && fail "the kubelet's run/exec/attach reached the API server: $seen"
pass "default path rules: the kubelet's run/exec/attach via nodes/proxy refused; its metrics and portForward pass"

s=$(raw "POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n" | status_of)
assert_eq "HTTP/1.1 400 Bad Request" "$s" "Content-Length + Transfer-Encoding"
s=$(raw "POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello!" | status_of)
assert_eq "HTTP/1.1 400 Bad Request" "$s" "conflicting Content-Length"
s=$(raw "POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: xchunked\r\nConnection: close\r\n\r\n0\r\n\r\n" | status_of)
assert_eq "HTTP/1.1 400 Bad Request" "$s" "unknown Transfer-Encoding"
s=$(raw "GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n" | status_of)
assert_eq "HTTP/1.1 400 Bad Request" "$s" "two Host headers"
pass "ambiguous framing refused"

big=$(head -c 65536 /dev/zero | tr '\0' a)
s=$(raw "GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: $big\r\nConnection: close\r\n\r\n" | status_of)
assert_eq "HTTP/1.1 431 Request Header Fields Too Large" "$s" "64 KiB of headers"
pass "header size limit"

# Slowloris: a head that trickles in is cut off after --header-timeout, unanswered.
trap '' PIPE  # writing to the closed connection must fail, not kill the test
exec 3<>"/dev/tcp/127.0.0.1/$P"
printf 'GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\n' >&3
for i in $(seq 1 60); do
    printf 'X-Slow-%d: 1\r\n' "$i" >&3 2>/dev/null || break
    sleep 0.2
done
answer=$(timeout 10 cat <&3 2>/dev/null || true)
exec 3<&-
trap - PIPE
assert_eq "" "$answer" "answer to a slow header writer"
grep -q 'header timeout, closed' "$WORK/proxy.log" || fail "slow header writer not logged"
pass "slow header writer closed"

# The client's Authorization never reaches the API server: the proxy's token replaces it.
assert_eq 200 "$(code -H 'Authorization: Bearer forged.by.client' "$PROXY_URL/api/v1/namespaces/default/pods")" \
    "request with a client Authorization"
tail -n1 "$WORK/fake-apiserver.log" | grep -q 'GET /api/v1/namespaces/default/pods 200 alice@contoso.example' ||
    fail "API server did not see the proxy's identity: $(tail -n1 "$WORK/fake-apiserver.log")"
pass "client Authorization replaced"

# Redirects come back to the client; the proxy never follows them with its token.
before=$(apiserver_control counters | jq .requests)
assert_eq 302 "$(code "$PROXY_URL/_control/redirect")" "redirect"
assert_eq "$before" "$(apiserver_control counters | jq .requests)" "requests the redirect caused"
pass "redirect returned, not followed"

before=$(apiserver_control counters | jq .requests)
assert_eq 200 "$(code "$PROXY_URL/healthz")" "healthz"
assert_eq ok "$(cat "$WORK/body")" "healthz body"
assert_eq "$before" "$(apiserver_control counters | jq .requests)" "upstream requests for /healthz"
pass "/healthz answered locally"

# Unix socket: 0600, serves the same API.
sock=$WORK/proxy.sock
"$AKS_BIN_DIR/aks-proxy" --kubeconfig "$KUBECONFIG_FILE" --context fake-aks \
    --unix-socket "$sock" </dev/null >"$WORK/proxy-unix.log" 2>&1 &
_pids+=($!)
wait_until "the unix socket proxy" grep -q "^Starting to serve on $sock\$" "$WORK/proxy-unix.log"
assert_eq 600 "$(file_mode "$sock")" "socket mode"
assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$sock" http://localhost/version)" "via unix socket"
pass "unix socket 0600"

assert_no_token_in "$WORK/proxy.log" "$WORK/proxy-unix.log"
pass "no token in -v output"

# A --reject-paths given replaces the whole default, as in kubectl proxy.
mv "$WORK/proxy.log" "$WORK/proxy-first.log"
start_proxy --reject-paths '^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach'
mark=$(upstream_mark)
assert_eq 403 "$(code "$PROXY_URL/api/v1/namespaces/default/pods/web-0/exec?command=id")" "pods exec, given list"
code -X POST "$PROXY_URL/api/v1/nodes/aks-node-1/proxy/run/default/web-0/app" >/dev/null
grep -q 'POST /api/v1/nodes/aks-node-1/proxy/run/default/web-0/app ' <<<"$(upstream_since "$mark")" ||
    fail "with kubectl proxy's list given, nodes/proxy/run was not forwarded"
pass "--reject-paths replaces the default (kubectl proxy's list given: nodes/proxy/run forwarded)"
