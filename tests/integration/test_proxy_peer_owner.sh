#!/usr/bin/env bash
# Who may talk to aks-proxy, and to whom it sends the token, by the kernel's
# socket owner (local-proxy/peer_owner.h). Needs root (to act as uid 65534).
# F1: another local user who got hold of the Headlamp session cookie (a
# browser sends it to any port of the proxy's host name) replays it from
# their own process: the connection is closed unread, and the proxy logs who
# it was; the same cookie from the user's uid is served. The same in
# API-server mode.
# F2: --upstream http://127.0.0.1:PORT where another user listens on PORT
# (the port-forward not running): that listener receives not one byte, not
# even from the start-up probe; the browser gets 502 naming the uid; a
# listener of the user's own uid gets the requests.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
((EUID == 0)) || { echo "skipped: needs root to act as another uid"; exit 0; }
NOBODY=65534
AS_NOBODY=(setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups)
as_nobody() { "${AS_NOBODY[@]}" "$@"; }
# The system's python: a per-user installation (pyenv under /root) is not the other user's to run.
PY=python3
[[ -x /usr/bin/python3 ]] && PY=/usr/bin/python3
# Files the other uid writes: WORK stays unlistable, this one directory is theirs too.
chmod 711 "$WORK"
SHARED=$WORK/shared
mkdir -m 777 "$SHARED"

proxy_setup
proxy_login || fail "login failed"
start_fake_headlamp

# --- F1: the client side -------------------------------------------------------
start_proxy --upstream "$HEADLAMP_URL" --no-browser
HL_URL=$PROXY_URL HL_PORT=$PROXY_PORT
LAUNCH=$(launch_url)
jar=$WORK/jar
curl -qs -o /dev/null -c "$jar" "$LAUNCH"
cookie=$(awk '$6 ~ /^aks-proxy-/ {print $6 "=" $7}' "$jar")
[[ -n $cookie ]] || fail "no session cookie from the launch URL"
pods=$HL_URL/clusters/main/api/v1/namespaces/default/pods
assert_eq 200 "$(curl -qs -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$pods")" "the user's own replay"
pass "the session cookie from the user's uid: 200"

lines_before=$(wc -l <"$WORK/proxy.log")
set +e
as_nobody curl -qs -o "$SHARED/f1-body" -w '%{http_code}' -H "Cookie: $cookie" "$pods" >"$SHARED/f1-code" 2>/dev/null
rc=$?
set -e
assert_eq 000 "$(cat "$SHARED/f1-code")" "uid $NOBODY replaying the cookie: HTTP status"
[[ $rc == 52 || $rc == 55 || $rc == 56 ]] || fail "uid $NOBODY replaying the cookie: curl exit $rc (want 52, 55 or 56: no answer)"
[[ ! -s $SHARED/f1-body ]] || fail "uid $NOBODY got a body: $(head -c 200 "$SHARED/f1-body")"
wait_until "the refusal line" grep -q "refused a connection from 127\.0\.0\.1:[0-9]* owned by uid $NOBODY (aks-proxy serves only uid 0)" "$WORK/proxy.log"
# Closed unread: nothing of the request reached the access log or Headlamp.
tail -n +"$((lines_before + 1))" "$WORK/proxy.log" | grep -q ' /clusters/' && fail "the refused request was read: $(tail -n 3 "$WORK/proxy.log")"
pass "the same cookie from uid $NOBODY: connection closed unread, refusal logged"
assert_eq 200 "$(curl -qs -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$pods")" "the user after the refusal"
assert_eq 200 "$(curl -qs -o /dev/null -w '%{http_code}' "$HL_URL/healthz")" "/healthz for the user"
assert_eq 000 "$(as_nobody curl -qs -o /dev/null -w '%{http_code}' "$HL_URL/healthz" 2>/dev/null || true)" "/healthz for uid $NOBODY"
pass "the user still served; uid $NOBODY gets nothing, not even /healthz"
kill "$PROXY_PID"
wait "$PROXY_PID" 2>/dev/null || true

# API-server mode: the same rule.
start_proxy
assert_eq 200 "$(curl -qs -o /dev/null -w '%{http_code}' "$PROXY_URL/api/v1/namespaces/default/pods")" "API mode, the user"
assert_eq 000 "$(as_nobody curl -qs -o /dev/null -w '%{http_code}' "$PROXY_URL/api/v1/namespaces/default/pods" 2>/dev/null || true)" \
    "API mode, uid $NOBODY"
wait_until "the API-mode refusal line" grep -q "owned by uid $NOBODY (aks-proxy serves only uid 0)" "$WORK/proxy.log"
pass "API-server mode: uid $NOBODY refused, the user served"

# A flood of refused connections must not flood the log (at most a line a second).
as_nobody /usr/bin/python3 - "$PROXY_HOST" "$PROXY_PORT" <<'PY'
import socket, sys
for _ in range(500):
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
    s.close()
PY
assert_eq 200 "$(curl -qs -o /dev/null -w '%{http_code}' "$PROXY_URL/api/v1/namespaces/default/pods")" "the user after the flood"
lines=$(grep -c "owned by uid $NOBODY" "$WORK/proxy.log")
(( lines <= 10 )) || fail "500 refused connections wrote $lines log lines"
pass "500 refused connections: $lines log lines"
kill "$PROXY_PID"
wait "$PROXY_PID" 2>/dev/null || true

# --- F2: the upstream side -----------------------------------------------------
start_recorder() {  # name [command prefix]: sets REC_PORT, REC_PID (the listener's own pid)
    local name=$1
    shift
    : >"$SHARED/$name.bytes"
    : >"$SHARED/$name.conns"
    chmod 666 "$SHARED/$name.bytes" "$SHARED/$name.conns"
    "$@" "$PY" "$AKS_SOURCE_DIR/tests/integration/record_listener.py" "$SHARED/$name.port" \
        "$SHARED/$name.bytes" "$SHARED/$name.conns" 2>"$SHARED/$name.err" &
    REC_PID=$!
    _pids+=("$REC_PID")
    REC_PORT=$(_wait_port_file "$SHARED/$name.port" "$REC_PID" "$name listener")
}

jar=$WORK/jar
start_recorder squatter "${AS_NOBODY[@]}"
reason="the upstream 127.0.0.1:$REC_PORT is served by uid $NOBODY, not by you; refusing to send your token"
start_proxy --upstream "http://127.0.0.1:$REC_PORT" --no-browser
# The start-up probe runs once the token is there: it warns and sends nothing.
wait_until "the start-up probe's warning" grep -qF "aks-proxy: warning: $reason" "$WORK/proxy.log"
curl -qs -o /dev/null -c "$jar" "$(launch_url)"
cookie=$(awk '$6 ~ /^aks-proxy-/ {print $6 "=" $7}' "$jar")
code=$(curl -qs -o "$WORK/f2-body" -w '%{http_code}' -H "Cookie: $cookie" "$PROXY_URL/clusters/main/api/v1/namespaces/default/pods")
assert_eq 502 "$code" "a request while uid $NOBODY holds the upstream port"
grep -qF "aks-proxy: $reason" "$WORK/f2-body" || fail "502 body: $(cat "$WORK/f2-body")"
(($(wc -l <"$SHARED/squatter.conns") > 0)) || fail "the proxy never connected to the squatter (nothing was checked)"
kill "$REC_PID"
wait "$REC_PID" 2>/dev/null || true
[[ ! -s $SHARED/squatter.bytes ]] || fail "uid $NOBODY received $(wc -c <"$SHARED/squatter.bytes") bytes"
assert_eq 1 "$(grep -cF "$reason" "$WORK/proxy.log")" "the warning, once for the probe and the request"
# The refusal is in the access log, under the request's method and path.
grep -q '^aks-proxy: GET /clusters/main/api/v1/namespaces/default/pods 502 ' "$WORK/proxy.log" ||
    fail "the 502 is not in the access log: $(cat "$WORK/proxy.log")"
pass "upstream port held by uid $NOBODY: $(wc -l <"$SHARED/squatter.conns") connections, 0 bytes received; 502 naming the uid"
kill "$PROXY_PID"
wait "$PROXY_PID" 2>/dev/null || true

# The same listener run by the user: served (and the recorder does record).
start_recorder own
start_proxy --upstream "http://127.0.0.1:$REC_PORT" --no-browser
curl -qs -o /dev/null -c "$jar" "$(launch_url)"
cookie=$(awk '$6 ~ /^aks-proxy-/ {print $6 "=" $7}' "$jar")
code=$(curl -qs -o "$WORK/own-body" -w '%{http_code}' -H "Cookie: $cookie" "$PROXY_URL/clusters/main/api/v1/namespaces/default/pods")
assert_eq 200 "$code" "a request to the user's own listener"
wait_until "the request at the user's listener" grep -qaF 'GET /clusters/main/api/v1/namespaces/default/pods HTTP/1.1' "$SHARED/own.bytes"
grep -qai '^authorization: Bearer ' "$SHARED/own.bytes" || fail "no token at the user's own upstream"
grep -qF "refusing to send your token" "$WORK/proxy.log" && fail "refused the user's own upstream: $(grep -F refusing "$WORK/proxy.log")"
pass "upstream of the user's own uid: the request and its token arrive, 200"
