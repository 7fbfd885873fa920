#!/usr/bin/env bash
# aks-proxy over HTTP/2 to fake-apiserver (which speaks h2 as kube-apiserver
# does; its counters tell how many connections of which protocol it got):
# many requests and watches share one connection; the server's stream limit
# opens another; a watch client that leaves resets its stream; a client that
# stops reading stalls only its own stream (the API server holds its bytes:
# flow control), and loses nothing; RST_STREAM mid-body and a cut body reach
# the client as broken bodies; GOAWAY mid-traffic costs no request;
# upgrades still go over HTTP/1.1; a server without HTTP/2 (or
# --upstream-http1) gets HTTP/1.1; --goaway-chance as kube-apiserver has it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
[[ ${AKS_FAKE_HTTP1:-0} == 1 ]] && { echo "ok: HTTP/2 test skipped for AKS_FAKE_HTTP1=1"; exit 0; }
proxy_setup --http2-max-streams 30
proxy_login || fail "login failed: $(cat "$WORK/login.log")"
# One worker: one pool, so the connection counts are exact.
start_proxy --threads 1 --reject-paths '^$'

pods=/api/v1/namespaces/default/pods
conn() { apiserver_control connections | jq -r ".$1"; }
streams() { apiserver_control streams | jq -r ".$1"; }
watch_open() {  # name: a curl watch through the proxy, output in $WORK/w-name
    curl -sS -N "$PROXY_URL$pods?watch=true&resourceVersion=1" >"$WORK/w-$1" 2>"$WORK/w-$1.err" &
    _pids+=($!)
    WATCH_PIDS+=($!)
}
watches_are() { [[ $(streams watches) == "$1" ]]; }
all_got() {  # event name, watch names...
    local ev=$1 w
    shift
    for w in "$@"; do grep -q "\"name\":\"$ev\"" "$WORK/w-$w" || return 1; done
}
emit() { apiserver_control emit "{\"type\":\"ADDED\",\"name\":\"$1\",\"namespace\":\"default\"}" >/dev/null; }
requests() {  # n parallel: every status code on its own line in $WORK/codes
    seq 1 "$1" | xargs -P "$2" -I{} curl -sS -o /dev/null -w '%{http_code}\n' "$PROXY_URL$pods" >"$WORK/codes"
}
all_ok() {  # n
    [[ $(grep -c '^200$' "$WORK/codes") == "$1" ]] || fail "not every request got 200: $(sort "$WORK/codes" | uniq -c)"
}

# --- many requests and watches, one connection ---------------------------------
WATCH_PIDS=()
for i in $(seq 1 20); do watch_open "a$i"; done
wait_until "20 watches at the fake" watches_are 20
requests 100 8
all_ok 100
kubectl_via_proxy get pods >"$WORK/get.out" 2>&1 || fail "kubectl get pods: $(cat "$WORK/get.out")"
grep -q '^web-7d9c6b8f5d-4xk2p ' "$WORK/get.out" || fail "kubectl output: $(cat "$WORK/get.out")"
emit one
wait_until "the event on all 20 watches" all_got one $(seq -f 'a%g' 1 20)
assert_eq 1 "$(conn h2)" "HTTP/2 connections for 20 watches, 100 requests and kubectl"
assert_eq 0 "$(conn http1)" "HTTP/1.1 connections"
pass "20 watches, 100 requests and kubectl over one HTTP/2 connection"

# --- the server's stream limit (30) opens a second connection -------------------
for i in $(seq 21 35); do watch_open "a$i"; done
wait_until "35 watches at the fake" watches_are 35
assert_eq 2 "$(conn h2)" "HTTP/2 connections for 35 watches at 30 streams each"
emit two
wait_until "the event on all 35 watches" all_got two $(seq -f 'a%g' 1 35)
pass "SETTINGS_MAX_CONCURRENT_STREAMS: a second connection past 30 streams"

# --- a watch client that leaves: its stream is reset at once --------------------
kill "${WATCH_PIDS[@]}" 2>/dev/null || true
wait_until "every watch gone at the fake" watches_are 0
pass "watch clients that close reset their streams (no event needed)"

# --- a client that stops reading stalls only its own stream ----------------------
line=$(head -c 49152 /dev/zero | tr '\0' 'L')
lines=256
initial=$(curl -sS "$PROXY_URL$pods/web-7d9c6b8f5d-4xk2p/log" | wc -c)
want=$((initial + lines * (${#line} + 1)))
logpath=$pods/web-7d9c6b8f5d-4xk2p/log?follow=true
python3 "$(dirname "$0")/slow_reader.py" "$PROXY_PORT" "$logpath" "$WORK/go" "$WORK/slow.out" "$want" \
    2>"$WORK/slow.err" &
slow_pid=$!
_pids+=($slow_pid)
curl -sS -N "$PROXY_URL$logpath" >"$WORK/fast.out" 2>"$WORK/fast.err" &
fast_pid=$!
_pids+=($fast_pid)
followers_are() { [[ $(streams logs) == "$1" ]]; }
wait_until "two log followers" followers_are 2
apiserver_control log "{\"line\":\"$line\",\"repeat\":$lines}" >/dev/null
fast_has_all() { [[ $(stat -c %s "$WORK/fast.out") -ge $want ]]; }
wait_until "every line at the reading client" fast_has_all
# The stalled stream's bytes wait at the API server: the proxy opened its
# window only by what its client took (a stream window, not 12 MiB).
unsent=$(streams h2_unsent_bytes)
((unsent > 4 * 1024 * 1024)) || fail "the API server holds only $unsent bytes of the stalled stream"
touch "$WORK/go"
wait "$slow_pid" || fail "slow reader: $(cat "$WORK/slow.err")"
head -c "$want" "$WORK/fast.out" | cmp -s - "$WORK/slow.out" || fail "the slow reader's body differs from the fast one's"
kill "$fast_pid" 2>/dev/null || true
pass "a stalled client holds back only its stream ($unsent bytes held at the server), then gets every byte"

# --- RST_STREAM mid-body and a cut body: broken for the client -------------------
wait_until "no followers left" followers_are 0
WATCH_PIDS=()
watch_open rst
wait_until "the watch" watches_are 1
emit before-reset
wait_until "the event before the reset" all_got before-reset rst
apiserver_control abort '{"topic":"watch"}' >/dev/null
status=0
wait "${WATCH_PIDS[0]}" || status=$?
assert_eq 18 "$status" "curl's exit for a chunked body without its last chunk"
grep -q 'transfer closed with outstanding read data remaining' "$WORK/w-rst.err" || fail "curl: $(cat "$WORK/w-rst.err")"
status=0
curl -sS -o "$WORK/cut.out" "$PROXY_URL/_control/cut?bytes=5000" 2>"$WORK/cut.err" || status=$?
assert_eq 18 "$status" "curl's exit for a body short of its Content-Length"
assert_eq 5000 "$(stat -c %s "$WORK/cut.out")" "bytes of the cut body"
grep -q 'upstream aborted' "$WORK/proxy.log" || fail "access log lacks the aborted stream"
pass "RST_STREAM mid-body: a chunked body without its end, a short Content-Length body"

# --- GOAWAY mid-traffic ------------------------------------------------------------
before=$(conn h2)
WATCH_PIDS=()
watch_open survivor
wait_until "the watch" watches_are 1
requests 300 8 &
traffic=$!
for _ in 1 2 3 4 5; do
    apiserver_control goaway '{}' >/dev/null
    sleep 0.1
done
wait "$traffic"
all_ok 300
((  $(conn h2) > before )) || fail "no new connection after GOAWAY ($(conn h2) vs $before)"
emit after-goaway
wait_until "the in-flight watch to keep going after GOAWAY" all_got after-goaway survivor
pass "GOAWAY mid-traffic: 300 of 300 requests answered, new connections, the in-flight watch kept"

# --- upgrades use HTTP/1.1 ---------------------------------------------------------
h2_before=$(conn h2)
http1_before=$(conn http1)
assert_eq "hello over h1" "$(kubectl_via_proxy exec web-7d9c6b8f5d-4xk2p -- echo hello over h1)" "exec"
assert_eq 1 "$(apiserver_control streams | jq .upgrades.exec_websocket)" "WebSocket exec upgrades"
assert_eq $((http1_before + 1)) "$(conn http1)" "HTTP/1.1 connections after exec"
assert_eq "$h2_before" "$(conn h2)" "HTTP/2 connections after exec"
pass "kubectl exec upgrades over an HTTP/1.1 connection"

# --- a server without HTTP/2: HTTP/1.1 -----------------------------------------------
apiserver_control http2 '{"enabled":false}' >/dev/null
apiserver_control goaway '{}' >/dev/null  # the proxy must dial again
h2_before=$(conn h2)
requests 20 4
all_ok 20
kubectl_via_proxy get pods >/dev/null 2>&1 || fail "kubectl over the HTTP/1.1 fallback"
assert_eq "$h2_before" "$(conn h2)" "HTTP/2 connections once the server refuses h2"
(($(conn http1) > http1_before + 1)) || fail "no HTTP/1.1 connection after the server refused h2"
pass "the server refuses h2: requests go over HTTP/1.1"

# --- --upstream-http1 --------------------------------------------------------------------
apiserver_control http2 '{"enabled":true}' >/dev/null
kill "$PROXY_PID"
wait "$PROXY_PID" 2>/dev/null || true
start_proxy --upstream-http1
h2_before=$(conn h2)
http1_before=$(conn http1)
requests 10 2
all_ok 10
assert_eq "$h2_before" "$(conn h2)" "HTTP/2 connections with --upstream-http1"
(($(conn http1) > http1_before)) || fail "--upstream-http1 made no HTTP/1.1 connection"
pass "--upstream-http1 keeps to HTTP/1.1"

# --- --goaway-chance, as kube-apiserver sends it ----------------------------------------
kill "$PROXY_PID"
start_apiserver --goaway-chance 0.2
write_kubeconfig "$KUBECONFIG_FILE"
start_proxy --threads 1
requests 200 4
all_ok 200
(($(conn h2) > 3)) || fail "--goaway-chance 0.2 over 200 requests made only $(conn h2) connections"
pass "--goaway-chance 0.2: 200 of 200 requests answered over $(conn h2) connections"

# --- the fake's TLS cipher, as kube-apiserver (Go) picks it -------------------------------
# OpenSSL's client order puts AES-256-GCM first; a Go server still takes
# AES-128-GCM, and ChaCha20 only for a client that puts it first.
cipher_with() { tls_cipher "$APISERVER_PORT" "$@"; }  # [s_client options]: the cipher suite the fake chose
assert_eq TLS_AES_128_GCM_SHA256 "$(cipher_with)" "cipher for OpenSSL's default client order"
assert_eq TLS_CHACHA20_POLY1305_SHA256 \
    "$(cipher_with -ciphersuites TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256)" \
    "cipher for a client that puts ChaCha20 first"
assert_eq ECDHE-ECDSA-AES128-GCM-SHA256 "$(cipher_with -tls1_2)" "TLS 1.2 cipher for OpenSSL's default client order"
assert_eq ECDHE-ECDSA-CHACHA20-POLY1305 "$(cipher_with -tls1_2 -cipher ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256)" \
    "TLS 1.2 cipher for a client that puts ChaCha20 first"
tls_handshake "$APISERVER_PORT" -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA256 >"$WORK/cbc-sha256.out" || true
grep -q 'alert handshake failure' "$WORK/cbc-sha256.out" ||
    fail "a TLS 1.2 client with CBC-SHA256 only (off in Go, on in OpenSSL) was not refused: $(head -3 "$WORK/cbc-sha256.out")"
pass "the fake picks its TLS cipher as a Go server does"

assert_no_token_in "$WORK/proxy.log"
