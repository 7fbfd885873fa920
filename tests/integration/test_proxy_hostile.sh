#!/usr/bin/env bash
# A hostile local client against aks-proxy (issue #11), class by class:
# smuggling shapes, path tricks, denial of service, Host/Origin tricks and
# Headlamp mode without the session cookie. Every case asserts the safe
# outcome on the upstream side — the lines fake-apiserver logged for what it
# RECEIVED — besides the answer and whether the connection was closed. The
# proxy must be alive and serving at the end, with its descriptors back.
# ctest runs it over the HTTP/2 upstream and again over HTTP/1.1
# (integration.http1.test_proxy_hostile).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
proxy_setup
proxy_login || fail "login failed"
start_proxy --header-timeout 2 --threads 2
POD=/api/v1/namespaces/default/pods/web-7d9c6b8f5d-4xk2p
fds() { ls "/proc/$PROXY_PID/fd" | wc -l; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$PROXY_PID/status"; }
curl -s -o /dev/null "$PROXY_URL/version"  # warm: a pooled upstream connection, threads started
base_fds=$(fds)

# One case: raw bytes in (a Python bytes expression), the answer expected
# ("CODE... closed|open"), and the fake-apiserver log lines it may cause
# (an extended regex each line must match; "" = nothing at all).
case_() {  # name expected-answer allowed-upstream-regex python-bytes-expr [raw_http options]
    local name=$1 want=$2 allowed=$3 expr=$4 m out got
    shift 4
    m=$(upstream_mark)
    local codes=${want% *}
    [[ $codes == "$want" ]] && codes=""  # "closed" alone: no answer
    out=$(raw_http --responses "$(wc -w <<<"$codes")" "$@" -e "$expr" | tr '\n' ' ')
    out=${out% }
    got=$(upstream_since "$m")
    if [[ -z $allowed ]]; then
        [[ -z $got ]] || fail "$name: the API server received: $got"
    elif [[ -n $got ]]; then
        grep -Evq -- "$allowed" <<<"$got" && fail "$name: the API server received: $(grep -Ev -- "$allowed" <<<"$got")"
    fi
    assert_eq "$want" "$out" "$name: answer"
}
H='Host: 127.0.0.1\r\n'

# ---- smuggling shapes ----
for named in Content-Length Transfer-Encoding Host Authorization; do
    case_ "Connection: $named" "400 closed" "" \
        "b'POST /api/v1/namespaces/default/pods HTTP/1.1\r\n${H}Connection: keep-alive, $named\r\nContent-Length: 26\r\n\r\nGET /smuggled HTTP/1.1\r\nX: '"
done
case_ "CL + TE" "400 closed" "" \
    "b'POST /api/v1/namespaces/default/pods HTTP/1.1\r\n${H}Content-Length: 30\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n'"
case_ "TE + CL" "400 closed" "" \
    "b'POST /api/v1/namespaces/default/pods HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 30\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n'"
case_ "two Content-Lengths" "400 closed" "" \
    "b'POST /api/v1/namespaces/default/pods HTTP/1.1\r\n${H}Content-Length: 0\r\nContent-Length: 27\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n'"
case_ "the same Content-Length twice" "400 closed" "" \
    "b'POST /api/v1/namespaces/default/pods HTTP/1.1\r\n${H}Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello'"
case_ "a Content-Length list" "400 closed" "" \
    "b'POST /api/v1/namespaces/default/pods HTTP/1.1\r\n${H}Content-Length: 5, 5\r\n\r\nhello'"
for coding in gzip 'chunked, gzip' 'gzip, chunked' xchunked 'chunked\r\nTransfer-Encoding: chunked'; do
    case_ "Transfer-Encoding: $coding" "400 closed" "" \
        "b'POST /api/v1/namespaces/default/pods HTTP/1.1\r\n${H}Transfer-Encoding: $coding\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n${H}\r\n'"
done
case_ "Transfer-Encoding in HTTP/1.0" "400 closed" "" \
    "b'POST /api/v1/namespaces/default/pods HTTP/1.0\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n'"
# A chunk size past 64 bits: the head was fine and went upstream, the body
# cannot be framed, so the exchange ends and both connections close; nothing
# after it is a request.
case_ "chunk-size overflow" "closed" "^fake-apiserver: POST /_control/echo" \
    "b'POST /_control/echo HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\nGET /smuggled HTTP/1.1\r\n\r\n0\r\n\r\n'"
case_ "obs-fold" "400 closed" "" \
    "b'POST /api/v1/namespaces/default/pods HTTP/1.1\r\n${H}Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n'"
case_ "bare LF" "400 closed" "" "b'GET /version HTTP/1.1\n${H}\n'"
case_ "bare LF inside a field" "400 closed" "" \
    "b'GET /version HTTP/1.1\r\n${H}X-A: 1\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'"
case_ "bare CR" "400 closed" "" "b'GET /version HTTP/1.1\r\n${H}X-A: 1\rX-B: 2\r\n\r\n'"
case_ "space before the colon" "400 closed" "" \
    "b'POST /api/v1/namespaces/default/pods HTTP/1.1\r\n${H}Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n'"
case_ "pipelining behind a refused request" "403 200 open" '^fake-apiserver: GET /version\?behind-403 200 ' \
    "b'GET $POD/exec?command=id HTTP/1.1\r\n${H}\r\nGET /version?behind-403 HTTP/1.1\r\n${H}\r\n'"
case_ "a request in the body of a refused one" "403 closed" "" \
    "b'POST $POD/exec HTTP/1.1\r\n${H}Content-Length: 44\r\n\r\nGET /version?inside-refused HTTP/1.1\r\n${H}\r\n'"
case_ "pipelining behind a 400" "400 closed" "" \
    "b'GET /version HTTP/1.1\r\n${H}${H}\r\nGET /version?behind-400 HTTP/1.1\r\n${H}\r\n'"
pass "smuggling shapes: refused and closed, nothing smuggled upstream"

# ---- path tricks ----
for p in "/$POD/exec" "$POD//exec" "/api/./v1/namespaces/default/pods" "/api/x/../v1/namespaces/default/pods/web/exec" \
    "$POD%2Fexec" "$POD%2fexec" "/api/%2e%2e/api/v1/pods" "/api/v1/pods%252Fx" "/api/v1/pods%00" "$POD/exec#frag" \
    "/api/v1/namespaces/%FF/pods"; do
    case_ "path $p" "400 closed" "" "b'GET $p HTTP/1.1\r\n${H}\r\n'"
done
for p in "$POD/ex%65c" "$POD/exec;x=1" "$POD/exec/" "$POD/attach?x=1"; do
    case_ "path $p" "403 open" "" "b'GET $p HTTP/1.1\r\n${H}\r\n'"
done
# Case and parameters that the filters let through reach nothing: the API
# server's routes are case-sensitive and ';' is an ordinary character.
case_ "upper-case EXEC" "404 open" "^fake-apiserver: GET /API/v1/namespaces/default/pods/web-7d9c6b8f5d-4xk2p/EXEC 404 " \
    "b'GET /API/v1/namespaces/default/pods/web-7d9c6b8f5d-4xk2p/EXEC HTTP/1.1\r\n${H}\r\n'"
case_ "absolute form" "400 closed" "" "b'GET http://127.0.0.1/version HTTP/1.1\r\n${H}\r\n'"
case_ "CONNECT" "405 closed" "" "b'CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n'"
case_ "OPTIONS *" "400 closed" "" "b'OPTIONS * HTTP/1.1\r\n${H}\r\n'"
pass "path tricks: not canonical → 400, exec in any spelling → 403, other forms refused"

# ---- Host and Origin ----
for h in evil.example localhost.evil.example 127.0.0.1.nip.io 'localhost.' '127.0.0.2'; do
    case_ "Host $h" "403 open" "" "b'GET /version HTTP/1.1\r\nHost: $h\r\n\r\n'"
done
case_ "two Hosts" "400 closed" "" "b'GET /version HTTP/1.1\r\n${H}Host: evil.example\r\n\r\n'"
case_ "no Host" "400 closed" "" "b'GET /version HTTP/1.1\r\n\r\n'"
for o in http://evil.example null "http://127.0.0.1:1" "https://127.0.0.1:$PROXY_PORT"; do
    case_ "Origin $o" "403 open" "" "b'GET /version HTTP/1.1\r\nHost: 127.0.0.1:$PROXY_PORT\r\nOrigin: $o\r\n\r\n'"
done
case_ "cross-origin WebSocket" "403 open" "" \
    "b'GET $POD/portforward?ports=80 HTTP/1.1\r\n${H}Origin: http://evil.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'"
case_ "a forged Authorization" "200 open" '^fake-apiserver: GET /version\?forged 200 alice@contoso.example$' \
    "b'GET /version?forged HTTP/1.1\r\n${H}Authorization: Bearer forged\r\nProxy-Authorization: Basic eDp5\r\n\r\n'"
pass "Host and Origin tricks refused; a forged Authorization is replaced"
assert_upstream_protocol "the cases above"

# ---- denial of service ----
case_ "a 100 KB path" "414 closed" "" "b'GET /api/' + b'a' * 100000 + b' HTTP/1.1\r\n${H}\r\n'"
case_ "101 tiny headers" "431 closed" "" "b'GET /version HTTP/1.1\r\n${H}' + b''.join(b'X:%d\r\n' % i for i in range(101)) + b'\r\n'"
case_ "a 40 KB header line" "431 closed" "" "b'GET /version HTTP/1.1\r\n${H}X-Big: ' + b'b' * 40000 + b'\r\n\r\n'"
case_ "a head in 1-byte writes" "200 open" '^fake-apiserver: GET /version\?bytewise 200 ' \
    "[bytes([c]) for c in b'GET /version?bytewise HTTP/1.1\r\n${H}\r\n']" --pause 0.001
pass "oversized heads: 414/431 and closed"

# Thousands of idle connections, 100 slow head writers and a client that
# never reads an endless tunnel, all at once: others are still served.
python3 "$AKS_SOURCE_DIR/tests/integration/hold_connections.py" "$PROXY_PORT" 3000 idle >"$WORK/idle.out" &
idle_pid=$!
_pids+=("$idle_pid")
python3 "$AKS_SOURCE_DIR/tests/integration/hold_connections.py" "$PROXY_PORT" 100 slowloris >"$WORK/slow.out" &
slow_pid=$!
_pids+=("$slow_pid")
rss_before=$(rss_kib)
python3 "$AKS_SOURCE_DIR/tests/integration/hold_connections.py" "$PROXY_PORT" 4 noread \
    --path "/_control/blast?bytes=2000000000" >"$WORK/noread.out" &
noread_pid=$!
_pids+=("$noread_pid")
wait_until "3000 idle connections" grep -q '^ready' "$WORK/idle.out"
wait_until "100 slow writers" grep -q '^ready' "$WORK/slow.out"
wait_until "4 clients that never read" grep -q '^ready' "$WORK/noread.out"
assert_eq "ready 3000 0" "$(cat "$WORK/idle.out")" "idle connections accepted"
for i in 1 2 3; do
    assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' "$PROXY_URL/api/v1/namespaces/default/pods")" \
        "request $i beside the idle, slow and non-reading clients"
done
sleep 3  # past --header-timeout 2: the slow writers are cut off, unanswered
kill "$slow_pid"
wait "$slow_pid" || true
assert_eq "closed-by-server 100" "$(tail -n1 "$WORK/slow.out")" "slow head writers closed by the proxy"
# Backpressure: the tunnels to clients that never read hold their buffers, not 2 GB each.
rss_growth=$(( $(rss_kib) - rss_before ))
((rss_growth < 64 * 1024)) || fail "RSS grew by $rss_growth KiB with clients that never read"
kill "$idle_pid" "$noread_pid"
wait "$idle_pid" "$noread_pid" 2>/dev/null || true
pass "3000 idle connections, 100 slowloris writers, 4 clients that never read: others served, RSS +${rss_growth} KiB"

# Clients that hang up on a watch between events: the proxy notices at once
# and closes the watch upstream too, instead of holding both connections
# until the next event (which may be an hour away).
watch_count() { apiserver_control streams | jq .watches; }
assert_eq 0 "$(watch_count)" "watches upstream before"
watchers=()
for i in 1 2 3 4 5; do
    curl -sN "$PROXY_URL/api/v1/namespaces/default/pods?watch=true" >/dev/null &
    watchers+=($!)
done
_pids+=("${watchers[@]}")
wait_until "5 watches upstream" bash -c "[[ \$(curl -fsS --cacert '$PKI/ca.pem' '$APISERVER_URL/_control/streams' | jq .watches) == 5 ]]"
kill "${watchers[@]}"
wait "${watchers[@]}" 2>/dev/null || true
wait_until "the upstream watches closed after their clients hung up" \
    bash -c "[[ \$(curl -fsS --cacert '$PKI/ca.pem' '$APISERVER_URL/_control/streams' | jq .watches) == 0 ]]"
pass "watch clients that hang up between events: their upstream watches close at once"

# ---- Headlamp mode without the session cookie (fake-apiserver as the web upstream) ----
HL_LOG=$WORK/headlamp-mode.log
"$AKS_BIN_DIR/aks-proxy" --kubeconfig "$KUBECONFIG_FILE" --context fake-aks --port 0 --threads 1 --no-browser \
    --upstream "$APISERVER_URL" </dev/null >"$HL_LOG" 2>&1 &
_pids+=($!)
wait_until "the Headlamp-mode proxy" grep -q '^Starting to serve on ' "$HL_LOG"
# Headlamp mode listens on 127.0.0.1 and [::1] (its launch URL names aks-<hex>.localhost).
HL_ADDR=$(sed -n 's/^Starting to serve on \(.*\)$/\1/p' "$HL_LOG")
HL_PORT=${HL_ADDR##*:}
secret=$(grep -Eo 'secret=[A-Za-z0-9_-]+' "$HL_LOG" | head -n1 | cut -d= -f2)
hl() { python3 "$AKS_SOURCE_DIR/tests/integration/raw_http.py" "$HL_PORT" --host "${HL_ADDR%:*}" "$@" | tr '\n' ' '; }
# It answers only the launch URL's host name (aks-<hex>.localhost:PORT).
HL_NAME=$(grep -Eo -m1 'http://[^/]+/\.aks-proxy/launch' "$HL_LOG" | sed 's|^http://||; s|/\.aks-proxy/launch$||')
[[ $HL_NAME == aks-*.localhost:$HL_PORT ]] || fail "launch host: $HL_NAME"
HH="Host: $HL_NAME\r\n"
# Its start-up probe of the upstream (headlamp_probe.h) comes first.
wait_until "the Headlamp-mode start-up probe" grep -q 'POST /clusters/main/apis/authentication.k8s.io/v1/selfsubjectreviews' \
    "$WORK/fake-apiserver.log"
m=$(upstream_mark)
assert_eq "401 open " "$(hl -e "b'GET /api/v1/namespaces HTTP/1.1\r\n${HH}\r\n'")" "Headlamp mode, no cookie"
assert_eq "401 open " "$(hl -e "b'GET /api/v1/namespaces HTTP/1.1\r\n${HH}Cookie: aks-proxy-$HL_PORT=guess\r\n\r\n'")" \
    "Headlamp mode, a guessed cookie"
assert_eq "401 open " "$(hl -e "b'GET /api/v1/namespaces HTTP/1.1\r\n${HH}Cookie: aks-proxy-1=$secret\r\n\r\n'")" \
    "Headlamp mode, the secret under another port's cookie name"
assert_eq "401 open " "$(hl -e "b'GET /.aks-proxy/launch?secret=guess HTTP/1.1\r\n${HH}\r\n'")" "a guessed launch secret"
assert_eq "401 open " "$(hl -e "b'POST /.aks-proxy/launch?secret=$secret HTTP/1.1\r\n${HH}Content-Length: 0\r\n\r\n'")" \
    "the launch URL by POST"
assert_eq "400 closed " "$(hl -e "b'GET //api/v1/namespaces HTTP/1.1\r\n${HH}Cookie: aks-proxy-$HL_PORT=$secret\r\n\r\n'")" \
    "a non-canonical path with the cookie"
assert_eq "" "$(upstream_since "$m")" "upstream requests from clients without the session"
# With it, a request for the cluster reaches the upstream with the token (only
# /clusters/main/... and /wsMultiplexer carry it in Headlamp mode).
got=$(hl -e "b'GET /clusters/main/version?with-cookie HTTP/1.1\r\n${HH}Cookie: aks-proxy-$HL_PORT=$secret\r\n\r\n'")
[[ $got != 40[13]* ]] || fail "with the session cookie: $got"
wait_until "the request with the cookie upstream" grep -q "with-cookie .* alice@contoso.example" "$WORK/fake-apiserver.log"
pass "Headlamp mode: nothing reaches the upstream without this run's session cookie"

# Cleartext: an http:// upstream that is not this machine is refused, and
# allowed only with --allow-insecure-upstream, which warns.
expect_one_line_error "would send your cluster token in cleartext to 10\.0\.0\.1.*--allow-insecure-upstream" \
    "$AKS_BIN_DIR/aks-proxy" --kubeconfig "$KUBECONFIG_FILE" --context fake-aks --port 0 --upstream http://10.0.0.1:8080
"$AKS_BIN_DIR/aks-proxy" --kubeconfig "$KUBECONFIG_FILE" --context fake-aks --port 0 --no-browser \
    --upstream http://10.0.0.1:8080 --allow-insecure-upstream </dev/null >"$WORK/insecure.log" 2>&1 &
_pids+=($!)
wait_until "the insecure-upstream proxy" grep -q '^Starting to serve on ' "$WORK/insecure.log"
grep -q 'warning: --upstream http://10.0.0.1:8080 is plain HTTP to 10.0.0.1, not this machine: your cluster token crosses the network in cleartext' \
    "$WORK/insecure.log" || fail "no cleartext warning: $(cat "$WORK/insecure.log")"
pass "cleartext upstream refused unless --allow-insecure-upstream, which warns"

# ---- the end: alive, serving, descriptors back ----
kill -0 "$PROXY_PID" 2>/dev/null || fail "aks-proxy died"
assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' "$PROXY_URL/healthz")" "healthz at the end"
assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' "$PROXY_URL/api/v1/namespaces/default/pods")" "a request at the end"
# Closed connections linger up to 2 s (the proxy drains before closing).
for ((i = 0; i < 100; i++)); do (($(fds) <= base_fds + 8)) && break; sleep 0.1; done
(($(fds) <= base_fds + 8)) || fail "descriptors: $(fds) at the end, $base_fds at the start"
assert_no_token_in "$WORK/proxy.log" "$HL_LOG"
pass "aks-proxy alive and serving at the end, descriptors back to $(fds) (start $base_fds)"
