#!/usr/bin/env bash
# aks-proxy in Headlamp mode (--upstream) in front of fake-headlamp, with curl
# and a node WebSocket client: the launch URL is printed after "Starting to
# serve on 127.0.0.1:PORT", naming a host of its own (aks-<hex>.localhost,
# served on [::1] too, whose port nobody else may take), sets an HttpOnly
# SameSite=Strict cookie and moves on to Headlamp; without
# that cookie every path but /healthz gets 401; with it the pod list works,
# and Headlamp sees this run's fresh token even when the client sends a stale
# headlamp-auth-main cookie and its own Authorization; /externalproxy gets no
# token; cross-origin GET and
# WebSocket upgrades are refused; a same-origin watch WebSocket gets events
# pushed by fake-apiserver; a --base-url prefix goes through unchanged; bad
# --upstream / --headlamp-service values give one-line errors; no
# token or launch secret reaches the access log.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
proxy_setup
proxy_login || fail "login failed"
start_fake_headlamp
start_proxy --upstream "$HEADLAMP_URL" --no-browser
P=$PROXY_PORT
token=$(aks_token get-token "${LOGIN_FLAGS[@]}" </dev/null | jq -r .status.token)
[[ -n $token && $token != null ]] || fail "no token from aks-token"

# The launch URL is the line right after "Starting to serve on".
second=$(grep -A1 -m1 '^Starting to serve on ' "$WORK/proxy.log" | tail -n1)
LAUNCH=$(launch_url)
assert_eq "$LAUNCH" "$second" "launch URL line"
[[ $LAUNCH == "$PROXY_URL/.aks-proxy/launch?secret="* ]] || fail "launch URL '$LAUNCH'"
[[ $PROXY_HOST =~ ^aks-[0-9a-f]{16}\.localhost$ ]] || fail "launch host $PROXY_HOST"
assert_eq "Starting to serve on 127.0.0.1:$P" "$(grep -m1 '^Starting to serve on ' "$WORK/proxy.log")" "listen line"
assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $PROXY_HOST:$P" "http://127.0.0.1:$P/healthz")" \
    "/healthz on 127.0.0.1"
if have_ipv6_loopback; then
    assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $PROXY_HOST:$P" -g "http://[::1]:$P/healthz")" \
        "/healthz on [::1]"
    pass "launch URL printed on its own line, on a host name of its own ($PROXY_HOST), served on 127.0.0.1 and [::1]"
else
    pass "launch URL printed on its own line, on a host name of its own ($PROXY_HOST), served on 127.0.0.1 (no ::1 here)"
fi

code() { curl -s -o "$WORK/body" -w '%{http_code}' "$@"; }
assert_eq 401 "$(code "$PROXY_URL/")" "page without the cookie"
grep -q 'launch URL' "$WORK/body" || fail "401 page: $(cat "$WORK/body")"
assert_eq 401 "$(code "$PROXY_URL/clusters/main/api/v1/namespaces/default/pods")" "API without the cookie"
assert_eq 401 "$(code -H 'Cookie: aks-proxy-1=x' "$PROXY_URL/")" "someone else's cookie"
assert_eq 401 "$(code "$PROXY_URL/.aks-proxy/launch?secret=guess")" "wrong secret"
assert_eq 200 "$(code "$PROXY_URL/healthz")" "/healthz stays open"
pass "no session cookie: 401 page"

# The launch: the session cookie and a page that moves on to the base path.
curl -s -o "$WORK/launch.body" -D "$WORK/launch.headers" -c "$WORK/jar" "$LAUNCH"
tr -d '\r' <"$WORK/launch.headers" >"$WORK/launch.h"
assert_eq "HTTP/1.1 200 OK" "$(head -n1 "$WORK/launch.h")" "launch status"
grep -qF 'http-equiv="refresh" content="0;url=/"' "$WORK/launch.body" || fail "launch page: $(cat "$WORK/launch.body")"
set_cookie=$(grep -i '^Set-Cookie: ' "$WORK/launch.h")
[[ $set_cookie == "Set-Cookie: aks-proxy-$P="*"; Path=/; HttpOnly; SameSite=Strict" ]] || fail "cookie: $set_cookie"
SESSION=$(sed -n "s/^Set-Cookie: \(aks-proxy-$P=[^;]*\);.*/\1/p" "$WORK/launch.h")
pass "launch sets an HttpOnly SameSite=Strict cookie and moves on to Headlamp"

assert_eq 200 "$(code -b "$WORK/jar" "$PROXY_URL/")" "page with the cookie"
grep -q 'fake Headlamp' "$WORK/body" || fail "page: $(head -c 200 "$WORK/body")"
assert_eq 200 "$(code -b "$WORK/jar" "$PROXY_URL/config")" "/config"
# A stale Headlamp cookie and a foreign Authorization: both replaced.
assert_eq 200 "$(code -H "Cookie: headlamp-auth-main=stale-token; theme=dark; $SESSION" \
    -H 'Authorization: Bearer someone-elses' \
    "$PROXY_URL/clusters/main/api/v1/namespaces/default/pods")" "pod list through Headlamp"
[[ $(jq '.items | length' "$WORK/body") -ge 1 ]] || fail "pod list: $(head -c 300 "$WORK/body")"
curl -fsS "$HEADLAMP_URL/_fake/seen" >"$WORK/seen.json"
assert_eq "$(fake_fingerprint "$token")" "$(jq -r '.[-1].fingerprint' "$WORK/seen.json")" "credential Headlamp used"
[[ $(jq -r '.[-1].source' "$WORK/seen.json") =~ ^(header|cookie)$ ]] || fail "source: $(cat "$WORK/seen.json")"
pass "pod list with the fresh token although a stale headlamp-auth-main cookie was sent"

# Headlamp's answers carry Referrer-Policy: no-referrer (the host name stays here).
curl -s -o /dev/null -D "$WORK/page.headers" -b "$WORK/jar" "$PROXY_URL/"
assert_eq "Referrer-Policy: no-referrer" "$(tr -d '\r' <"$WORK/page.headers" | grep -i '^Referrer-Policy:')" \
    "Referrer-Policy on Headlamp's page"
pass "Headlamp's page: Referrer-Policy: no-referrer"

# Headlamp sends /clusters/<c>/<API path> to the API server: the default
# --reject-paths see that path (exec, attach, the kubelet's run via nodes/proxy).
m=$(wc -l <"$WORK/fake-apiserver.log")
for api in api/v1/namespaces/default/pods/web-0/exec api/v1/namespaces/default/pods/web-0/attach \
    api/v1/nodes/node-1/proxy/run/default/web-0/app; do
    assert_eq 403 "$(code -b "$WORK/jar" "$PROXY_URL/clusters/main/$api?command=id&stdout=1")" "/clusters/main/$api"
    jq -r .message "$WORK/body" | grep -qF "Headlamp would send '/$api'" || fail "refusal: $(cat "$WORK/body")"
done
curl -fsS "$HEADLAMP_URL/_fake/seen" | jq -e '[.[] | select(.path | test("/(exec|attach|run)/"))] | length == 0' >/dev/null ||
    fail "an exec, attach or run reached Headlamp"
tail -n +"$((m + 1))" "$WORK/fake-apiserver.log" | grep -E '/(exec|attach|run)' && fail "reached the API server (above)"
pass "exec, attach and nodes/proxy/run under /clusters/main/: 403, nothing reached Headlamp or the API server"

# Another cluster name (Headlamp's dynamic clusters): no token goes with it.
assert_eq 404 "$(code -b "$WORK/jar" "$PROXY_URL/clusters/other/api/v1/namespaces/default/pods")" "another cluster"
assert_eq "none" "$(curl -fsS "$HEADLAMP_URL/_fake/seen" | jq -r '[.[] | select(.route == "unknown-cluster")] | last | .source')" \
    "credential for another cluster"
pass "a request for another cluster name reaches Headlamp without the token"

# Headlamp mode answers only its own host name: by 127.0.0.1 or localhost
# neither the session nor the launch works (their cookies would be shared).
for h in "127.0.0.1:$P" "localhost:$P"; do
    assert_eq 403 "$(code -H "Host: $h" -H "Cookie: $SESSION" "http://127.0.0.1:$P/")" "page by Host $h"
    assert_eq 403 "$(code -D "$WORK/l.h" -H "Host: $h" "http://127.0.0.1:$P/.aks-proxy/launch?secret=${LAUNCH##*secret=}")" \
        "launch by Host $h"
    grep -qi '^Set-Cookie' "$WORK/l.h" && fail "a cookie was set for Host $h"
done
pass "by 127.0.0.1 or localhost: 403, no cookie set"

# /externalproxy copies every header to the URL a page names: no token goes there.
code -H "Cookie: headlamp-auth-main.0=stale-token; $SESSION" -H 'proxy-to: https://artifacthub.io/api/v1/x' \
    "$PROXY_URL/externalproxy" >/dev/null
assert_eq "none" "$(curl -fsS "$HEADLAMP_URL/_fake/seen" | jq -r '[.[] | select(.route == "externalproxy")] | last | .source')" \
    "credential on /externalproxy"
pass "no token (header or cookie) on Headlamp's /externalproxy"

assert_eq 403 "$(code -b "$WORK/jar" -H 'Origin: http://evil.example' "$PROXY_URL/clusters/main/api/v1/namespaces/default/pods")" "cross-origin GET"
assert_eq 403 "$(code -b "$WORK/jar" -H 'Host: evil.example' "$PROXY_URL/")" "foreign Host"
ws_open ws_evil.out "ws://$PROXY_HOST:$P/clusters/main/api/v1/namespaces/default/pods?watch=1" \
    "Cookie: $SESSION" "Origin: http://evil.example"
wait "$WS_PID" || true
assert_eq "error 403" "$(cat "$WORK/ws_evil.out")" "cross-origin WebSocket"
ws_open ws_nocookie.out "ws://$PROXY_HOST:$P/clusters/main/api/v1/namespaces/default/pods?watch=1" \
    "Origin: $PROXY_URL"
wait "$WS_PID" || true
assert_eq "error 401" "$(cat "$WORK/ws_nocookie.out")" "WebSocket without the cookie"
pass "cross-origin and cookie-less requests and WebSockets refused"

# A same-origin watch WebSocket: the event pushed at fake-apiserver arrives.
ws_open ws.out "ws://$PROXY_HOST:$P/clusters/main/api/v1/namespaces/default/pods?watch=1" \
    "Cookie: headlamp-auth-main=stale-token; $SESSION" "Origin: $PROXY_URL"
wait_until "the WebSocket" grep -qx open "$WORK/ws.out"
watches_open() { [[ $(apiserver_control streams | jq .watches) -ge 1 ]]; }
wait_until "the watch at the API server" watches_open
apiserver_control emit '{"type":"ADDED","name":"headlamp-pod-1","namespace":"default"}' >/dev/null
wait_until "the watch event over the WebSocket" grep -q '"headlamp-pod-1"' "$WORK/ws.out"
assert_eq "$(fake_fingerprint "$token")" "$(curl -fsS "$HEADLAMP_URL/_fake/seen" | jq -r '.[-1].fingerprint')" \
    "credential on the WebSocket"
pass "watch WebSocket through the proxy"

# Headlamp served under --base-url: the prefix goes through unchanged.
HEADLAMP_NAME=headlamp2 start_fake_headlamp --base-url /headlamp
BASE_HEADLAMP=$HEADLAMP_URL
mv "$WORK/proxy.log" "$WORK/proxy1.log"
start_proxy --upstream "$BASE_HEADLAMP/headlamp/" --no-browser
LAUNCH2=$(launch_url)
curl -s -o "$WORK/launch2.body" -c "$WORK/jar2" "$LAUNCH2"
grep -qF 'content="0;url=/headlamp/"' "$WORK/launch2.body" || fail "base-url launch: $(cat "$WORK/launch2.body")"
assert_eq 200 "$(code -b "$WORK/jar2" "$PROXY_URL/headlamp/clusters/main/api/v1/namespaces/default/pods")" "base-url pods"
assert_eq 200 "$(code -b "$WORK/jar2" "$PROXY_URL/headlamp/")" "base-url page"
pass "Headlamp --base-url prefix forwarded unchanged"

hp() { "$AKS_BIN_DIR/aks-proxy" --kubeconfig "$KUBECONFIG_FILE" --context fake-aks --port 0 --no-browser "$@"; }
expect_one_line_error "--upstream 'ftp://x' is not an http:// or https:// URL" hp --upstream ftp://x
expect_one_line_error "--upstream 'http://127.0.0.1:1/\?a=b' must not have a query" hp --upstream 'http://127.0.0.1:1/?a=b'
expect_one_line_error "cannot resolve --upstream host 'no-such-host.invalid'" hp --upstream https://no-such-host.invalid
expect_one_line_error "either --upstream or --headlamp-service" hp --upstream http://x --headlamp-service a/b
expect_one_line_error "--headlamp-service 'a' is not NAMESPACE/NAME" hp --headlamp-service a
pass "bad --upstream and --headlamp-service values: one-line errors"

# Browsers try [::1] first for a *.localhost name: if another program holds
# the port there, Headlamp mode does not start on 127.0.0.1 alone.
if ! have_ipv6_loopback; then
    echo "skipped: no ::1 on this machine, so nobody can hold a port there"
else
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6); s.bind(("::1", 0)); s.listen()
open(sys.argv[1], "w").write(str(s.getsockname()[1])); time.sleep(120)' "$WORK/squat.port" &
_pids+=($!)
wait_until "the squatter on [::1]" test -s "$WORK/squat.port"
SQUAT=$(cat "$WORK/squat.port")
expect_one_line_error "cannot listen on \[::1\]:$SQUAT as well as on 127\.0\.0\.1" \
    "$AKS_BIN_DIR/aks-proxy" --kubeconfig "$KUBECONFIG_FILE" --context fake-aks --port "$SQUAT" --no-browser \
    --upstream "$HEADLAMP_URL"
pass "a port taken on [::1] by someone else: Headlamp mode refuses to start"
fi

assert_no_token_in "$WORK/proxy.log" "$WORK/proxy1.log" "$WORK/ws.out"
assert_eq 1 "$(grep -c 'secret=' "$WORK/proxy1.log")" "launch secret only on the launch line"
pass "no token in the output; the secret is not in the access log"
