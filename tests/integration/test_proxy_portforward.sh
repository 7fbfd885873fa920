#!/usr/bin/env bash
# kubectl port-forward through aks-proxy with no credentials of its own.
# First over WebSocket (kubectl 1.32 tunnels SPDY/3.1 in binary messages),
# then, with WebSocket upgrades turned off at the fake, over kubectl's plain
# SPDY/3.1 fallback — port-forward and `exec -i … -- cat` alike. Each
# port-forward echoes ~1 MB of random bytes through a loopback echo server on
# two connections, byte for byte; a port nothing listens on gives kubectl's
# error, not a hang. No token in anything the proxy or kubectl printed.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"

POD=web-7d9c6b8f5d-4xk2p
POD_PATH=/api/v1/namespaces/default/pods/$POD

# A loopback echo server: every connection gets back what it sends until it
# half-closes. Writes its port to $1.
ECHO_SERVER=$(cat <<'PY'
import os, socket, sys, threading
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(16)
tmp = sys.argv[1] + ".tmp"
with open(tmp, "w") as f:
    f.write(str(server.getsockname()[1]))
os.rename(tmp, sys.argv[1])
def echo(conn):
    with conn:
        while True:
            data = conn.recv(65536)
            if not data:
                return
            conn.sendall(data)
while True:
    conn, _ = server.accept()
    threading.Thread(target=echo, args=(conn,), daemon=True).start()
PY
)

# Sends file $2 to 127.0.0.1:$1 while reading what comes back (so neither
# side blocks the other), half-closes, prints everything received until EOF.
ECHO_CLIENT=$(cat <<'PY'
import socket, sys, threading
conn = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=60)
data = open(sys.argv[2], "rb").read()
def send():
    conn.sendall(data)
    conn.shutdown(socket.SHUT_WR)
sender = threading.Thread(target=send)
sender.start()
received = bytearray()
while True:
    chunk = conn.recv(65536)
    if not chunk:
        break
    received += chunk
sender.join()
sys.stdout.buffer.write(received)
PY
)

proxy_setup
proxy_login || fail "login failed: $(cat "$WORK/login.log")"
# kubectl proxy's default refuses exec/attach; this test opens them up.
start_proxy --reject-paths '^$'

python3 -c "$ECHO_SERVER" "$WORK/echo.port" >"$WORK/echo-server.log" 2>&1 &
_pids+=($!)
ECHO_PORT=$(_wait_port_file "$WORK/echo.port" $! "echo server")
assert_eq "{\"8080\":\"127.0.0.1:$ECHO_PORT\"}" \
    "$(apiserver_control portforward "{\"port\":8080,\"target\":\"127.0.0.1:$ECHO_PORT\"}")" "port mapping"
head -c 1000000 /dev/urandom >"$WORK/random.bin"

upgrades() { apiserver_control streams | jq -r ".upgrades.$1"; }

# Starts `kubectl port-forward pod/$POD :PORT` (output in $WORK/NAME.log);
# sets PF_PID and PF_LOCAL, the local port kubectl chose.
start_port_forward() {  # name port
    kubectl_via_proxy port-forward "pod/$POD" ":$2" >"$WORK/$1.log" 2>&1 &
    PF_PID=$!
    _pids+=("$PF_PID")
    local line
    line=$(wait_for_match "$WORK/$1.log" "Forwarding from 127\.0\.0\.1:[0-9]+ -> $2" "$PF_PID")
    [[ -n $line ]] || fail "$1: kubectl port-forward did not start: $(cat "$WORK/$1.log")"
    PF_LOCAL=${line#Forwarding from 127.0.0.1:}
    PF_LOCAL=${PF_LOCAL%% *}
}

stop_port_forward() {
    kill "$PF_PID" 2>/dev/null || true
    wait "$PF_PID" 2>/dev/null || true
}

# Two connections through the forward, each echoing random.bin byte for byte.
echo_twice() {  # what
    local i
    for i in 1 2; do
        timeout 60 python3 -c "$ECHO_CLIENT" "$PF_LOCAL" "$WORK/random.bin" >"$WORK/echoed.bin" ||
            fail "$1: connection $i failed"
        cmp -s "$WORK/random.bin" "$WORK/echoed.bin" ||
            fail "$1: connection $i: the echo differs ($(wc -c <"$WORK/echoed.bin") of $(wc -c <"$WORK/random.bin") bytes back)"
    done
}

# A port-forward to a port nothing listens on: the first connection gets
# kubectl's error from the error stream and kubectl ends, within bounds.
expect_unmapped_port_error() {  # name
    start_port_forward "$1" 9090
    printf 'hello' >"$WORK/hello.txt"
    timeout 30 python3 -c "$ECHO_CLIENT" "$PF_LOCAL" "$WORK/hello.txt" >"$WORK/unmapped.out" 2>&1 || true
    wait_until "kubectl's port-forward error ($1)" grep -q 'error forwarding port 9090 to pod' "$WORK/$1.log"
    grep -q 'connection refused' "$WORK/$1.log" || fail "$1: $(cat "$WORK/$1.log")"
    [[ ! -s $WORK/unmapped.out ]] || fail "$1: bytes came back from an unmapped port"
    local i
    for ((i = 0; i < 200; i++)); do
        kill -0 "$PF_PID" 2>/dev/null || break
        sleep 0.05
    done
    kill -0 "$PF_PID" 2>/dev/null && fail "$1: kubectl port-forward still runs after the pod refused the port"
    wait "$PF_PID" 2>/dev/null || true
}

# 1. WebSocket: kubectl's first choice, SPDY/3.1 tunneled in binary messages.
start_port_forward pf-websocket 8080
echo_twice "port-forward over WebSocket"
stop_port_forward
grep -q "GET $POD_PATH/portforward 101 .* upgraded" "$WORK/proxy.log" ||
    fail "access log lacks the WebSocket upgrade: $(grep portforward "$WORK/proxy.log")"
[[ $(upgrades portforward_websocket) -ge 1 && $(upgrades portforward_spdy) -eq 0 ]] ||
    fail "expected WebSocket only: $(apiserver_control streams)"
pass "kubectl port-forward over WebSocket (SPDY/3.1 tunnel): 2 x 1 MB echoed"

expect_unmapped_port_error pf-unmapped-websocket
pass "port-forward to an unmapped port over WebSocket: kubectl's error, no hang"

# 2. WebSocket refused (400, as by an API server without WebSocket
# streaming): kubectl falls back to a plain SPDY/3.1 upgrade.
assert_eq '{"enabled":false}' "$(apiserver_control websocket '{"enabled":false}')" "turn WebSocket off"
before_ws=$(upgrades portforward_websocket)
start_port_forward pf-spdy 8080
echo_twice "port-forward over SPDY/3.1"
stop_port_forward
grep -q "POST $POD_PATH/portforward 101 .* upgraded" "$WORK/proxy.log" ||
    fail "access log lacks the SPDY upgrade: $(grep portforward "$WORK/proxy.log")"
grep -q "GET $POD_PATH/portforward 400 " "$WORK/proxy.log" || fail "the WebSocket attempt was not refused"
[[ $(upgrades portforward_spdy) -ge 1 && $(upgrades portforward_websocket) -eq $before_ws ]] ||
    fail "expected SPDY/3.1: $(apiserver_control streams)"
grep -q 'portforward: SPDY/3.1 (portforward.k8s.io)' "$WORK/fake-apiserver.log" || fail "fake saw no SPDY port-forward"
pass "kubectl port-forward over SPDY/3.1 (WebSocket refused): 2 x 1 MB echoed"

# exec -i … -- cat: stdin round trip over SPDY/3.1 with v4.channel.k8s.io.
head -c 30720 /dev/urandom >"$WORK/stdin.bin"
timeout 60 kubectl --kubeconfig /dev/null --server "$PROXY_URL" exec -i "$POD" -- cat \
    <"$WORK/stdin.bin" >"$WORK/exec.out" 2>"$WORK/exec.err" || fail "exec over SPDY: $(cat "$WORK/exec.err")"
cmp -s "$WORK/stdin.bin" "$WORK/exec.out" || fail "exec over SPDY: stdin round trip differs"
assert_eq "hello over spdy" "$(timeout 60 kubectl --kubeconfig /dev/null --server "$PROXY_URL" \
    exec "$POD" -- echo hello over spdy)" "exec echo over SPDY"
grep -q "POST $POD_PATH/exec 101 .* upgraded" "$WORK/proxy.log" || fail "access log lacks the SPDY exec upgrade"
[[ $(upgrades exec_spdy) -ge 2 && $(upgrades exec_websocket) -eq 0 ]] ||
    fail "expected exec over SPDY/3.1: $(apiserver_control streams)"
pass "kubectl exec -i over SPDY/3.1 (30 KB stdin round trip, echo)"

expect_unmapped_port_error pf-unmapped-spdy
pass "port-forward to an unmapped port over SPDY/3.1: kubectl's error, no hang"

assert_eq '{"enabled":true}' "$(apiserver_control websocket '{"enabled":true}')" "turn WebSocket on again"
assert_no_token_in "$WORK/proxy.log" "$WORK"/pf-*.log "$WORK/exec.err"
pass "no token in the proxy's or kubectl's output"
