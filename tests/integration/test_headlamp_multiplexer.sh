#!/usr/bin/env bash
# Headlamp's /wsMultiplexer across a token rotation, with no reload.
# Headlamp reads the multiplexer's token once, from the handshake's cookie
# (fake-headlamp models backend/cmd/multiplexer.go, v0.45.0): through a byte
# tunnel, a subscription opened after the first token expired fails. aks-proxy
# relays the multiplexer message by message and, when its token changes,
# re-opens the socket to Headlamp with the fresh cookie and re-sends the
# open subscriptions; the browser's socket stays open. With 20-second tokens
# (refreshed 10 s before expiry): a watch event before, the rotation, the
# first token expired, then an event on the old subscription and a brand-new
# subscription both work. Tokens issued after aks-proxy started live an hour,
# so exactly one rotation happens: a second re-open while the test emits
# would drop that event (the fake API server, like a watch without a
# resourceVersion, sends events only to the watches open at that moment).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
proxy_setup
entra_control config '{"lifetime":20}' >/dev/null
proxy_login || fail "login failed"
first_token=$(aks_token get-token "${LOGIN_FLAGS[@]}" </dev/null | jq -r .status.token)
first_exp=$(( $(date +%s) + 20 ))
start_fake_headlamp --multiplexer
start_proxy --upstream "$HEADLAMP_URL" --no-browser
entra_control config '{"lifetime":3600}' >/dev/null
curl -s -o /dev/null -D "$WORK/launch.h" "$(launch_url)"
SESSION=$(grep -o "aks-proxy-$PROXY_PORT=[^;[:space:]]*" "$WORK/launch.h" | head -n1)

mkfifo "$WORK/mux.in"
node "$AKS_SOURCE_DIR/tests/fakes/fake-headlamp/mux_client.js" "ws://$PROXY_HOST:$PROXY_PORT/wsMultiplexer" \
    "Cookie: headlamp-auth-main.0=stale-token; $SESSION" "Origin: $PROXY_URL" <"$WORK/mux.in" >"$WORK/mux.out" 2>&1 &
_pids+=($!)
exec 7>"$WORK/mux.in"
send() { echo "$*" >&7; }
seen() { grep -q "$1" "$WORK/mux.out"; }

wait_until "the multiplexer socket" grep -qx open "$WORK/mux.out"
send subscribe /api/v1/namespaces/default/pods watch=1
wait_until "the watch to connect" seen '"type":"STATUS","path":"/api/v1/namespaces/default/pods","state":"connected"'
apiserver_control emit '{"type":"ADDED","name":"mux-pod-1","namespace":"default"}' >/dev/null
wait_until "the first event" seen '"event":"ADDED mux-pod-1"'
mux_fp() { curl -fsS "$HEADLAMP_URL/_fake/seen" | jq -r '[.[] | select(.route == "multiplexer")] | last | .fingerprint'; }
assert_eq "$(fake_fingerprint "$first_token")" "$(mux_fp)" "token of the first multiplexer watch"
pass "multiplexer watch through aks-proxy with this run's token (the stale cookie ignored)"

rotated() { grep -q 'multiplexer re-opened with the refreshed token' "$WORK/proxy.log"; }
for ((i = 0; i < 300; i++)); do rotated && break; sleep 0.1; done
rotated || fail "the multiplexer was not re-opened after the token changed: $(grep wsMultiplexer "$WORK/proxy.log")"
assert_eq 2 "$(curl -fsS "$HEADLAMP_URL/_fake/mux" | jq '.handshakes | length')" "handshakes Headlamp saw"
pass "the token changed: aks-proxy re-opened the multiplexer to Headlamp with the fresh cookie"

# Past the first token's expiry: what the first handshake's token can no longer do.
while (( $(date +%s) <= first_exp + 1 )); do sleep 0.2; done
watches() { apiserver_control streams | jq .watches; }
wait_until "the re-sent watch at the API server" test "$(watches)" -ge 1
apiserver_control emit '{"type":"ADDED","name":"mux-pod-2","namespace":"default"}' >/dev/null
wait_until "an event after the rotation" seen '"event":"ADDED mux-pod-2"'
send subscribe /api/v1/pods watch=1
wait_until "a new subscription to connect" seen '"type":"STATUS","path":"/api/v1/pods","state":"connected"'
wait_until "both watches at the API server" test "$(watches)" -ge 2
# An event emitted while a watch is being re-established is not replayed (no
# resourceVersion, as the fake's watches go), so emit until both the re-sent
# and the new subscription have had one: what matters is that both work.
k=0
both_get_events() {
    k=$((k + 1))
    apiserver_control emit "{\"type\":\"ADDED\",\"name\":\"mux-pod-3-$k\",\"namespace\":\"default\"}" >/dev/null
    sleep 0.1
    grep '"event":"ADDED mux-pod-3-' "$WORK/mux.out" | grep -q '"path":"/api/v1/pods"' &&
        grep '"event":"ADDED mux-pod-3-' "$WORK/mux.out" | grep -q '"path":"/api/v1/namespaces/default/pods"'
}
wait_until "events on the new and the re-sent subscription" both_get_events
[[ $(mux_fp) != "$(fake_fingerprint "$first_token")" ]] || fail "the new subscription used the first token"
! seen '"type":"ERROR"' || fail "an error reached the page: $(grep ERROR "$WORK/mux.out")"
! seen '^close' || fail "the browser's socket closed: $(tail -n 3 "$WORK/mux.out")"
assert_eq 2 "$(curl -fsS "$HEADLAMP_URL/_fake/mux" | jq '.handshakes | length')" "handshakes Headlamp saw (one rotation)"
pass "after the first token expired: events keep coming, a new subscription works, the page's socket stayed open"

send unsubscribe /api/v1/pods
wait_until "the CLOSE to reach Headlamp" seen '"type":"STATUS","path":"/api/v1/pods","state":"closed"'
pass "CLOSE goes through"

# An exec through the multiplexer (Headlamp would dial it at the API server
# with the token): dropped by the default --reject-paths; the socket and the
# next subscription carry on.
send subscribe /api/v1/namespaces/default/pods/web-0/exec command=id
# A look-alike cluster: Headlamp would read main's cookie for "main." and dial that cluster's server.
send raw '{"clusterId":"main.","path":"/api/v1/namespaces/lookalike/pods","query":"watch=1","userId":"u","type":"REQUEST"}'
# A number beyond double (picojson threw on it inside the relay, which ended aks-proxy).
send raw '{"clusterId":"main","path":"/api/v1/namespaces/huge/pods","n":1e999,"userId":"u","type":"REQUEST"}'
send subscribe /api/v1/namespaces/kube-system/pods watch=1
wait_until "the next subscription" seen '"type":"STATUS","path":"/api/v1/namespaces/kube-system/pods","state":"connected"'
! seen '/exec' || fail "the exec subscription got an answer: $(grep exec "$WORK/mux.out")"
! seen 'lookalike' || fail "the look-alike cluster's subscription got an answer: $(grep lookalike "$WORK/mux.out")"
kill -0 "$PROXY_PID" || fail "aks-proxy died on a message with 1e999"
grep -q '/exec' "$WORK/fake-apiserver.log" && fail "an exec reached the API server: $(grep exec "$WORK/fake-apiserver.log")"
grep -q 'multiplexer message refused' "$WORK/proxy.log" || fail "no refusal in the access log"
! seen '^close' || fail "the browser's socket closed: $(tail -n 3 "$WORK/mux.out")"
pass "an exec, a message for a look-alike cluster and one with 1e999, sent through the multiplexer, are dropped; the socket carries on"
exec 7>&-
assert_no_token_in "$WORK/proxy.log" "$WORK/mux.out"
