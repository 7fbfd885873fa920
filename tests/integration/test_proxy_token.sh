#!/usr/bin/env bash
# aks-proxy's token: with nothing cached it starts anyway and answers 401 with
# a Status naming the login command; a login by aks-token is picked up without
# a restart; then, with 90-second tokens (refresh margin min(300 s, half the
# lifetime) = 45 s, so a refresh every ~45 seconds), a long watch and a light
# request loop run across two background refreshes with no 401 and exactly
# two refresh requests at fake-entra. Takes about two minutes.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
LIFETIME=90
proxy_setup
entra_control config "{\"lifetime\":$LIFETIME}" >/dev/null
start_proxy -v 1
grep -q 'no token yet; requests get 401 until you run: aks-token login' "$WORK/proxy.log" ||
    fail "start-up warning: $(cat "$WORK/proxy.log")"

code=$(curl -s -o "$WORK/401.json" -w '%{http_code}' "$PROXY_URL/api/v1/namespaces/default/pods")
assert_eq 401 "$code" "status without a token"
assert_eq Status "$(jq -r .kind "$WORK/401.json")" "401 body kind"
assert_eq Unauthorized "$(jq -r .reason "$WORK/401.json")" "401 reason"
login_cmd=$(jq -r .message "$WORK/401.json" | sed -n 's/.*sign in with: //p')
[[ $login_cmd == "aks-token login --kubeconfig $KUBECONFIG_FILE --context fake-aks" ]] ||
    fail "401 names '$login_cmd'"
pass "401 Status naming the login command"

# Run exactly what the 401 said; the proxy re-reads the cache file by itself.
read -ra words <<<"$login_cmd"
"$AKS_BIN_DIR/${words[0]}" "${words[@]:1}" </dev/null 2>"$WORK/login.log" || fail "login: $(cat "$WORK/login.log")"
base=$(entra_counter '.token.refresh_token')
ok_now() { [[ $(curl -s -o /dev/null -w '%{http_code}' "$PROXY_URL/api/v1/namespaces/default/pods") == 200 ]]; }
wait_until "the proxy to pick up the login" ok_now
grep -q 're-read from the cache' "$WORK/proxy.log" || fail "no re-read logged"
log_mark=$(wc -l <"$WORK/proxy.log")
pass "login by aks-token picked up without restart"

# A long watch and a request loop across two refreshes.
curl -sN "$PROXY_URL/api/v1/namespaces/default/pods?watch=true&resourceVersion=1" >"$WORK/watch.out" &
_pids+=($!)
watches_open() { [[ $(apiserver_control streams | jq .watches) -ge 1 ]]; }
wait_until "the watch" watches_open
: >"$WORK/codes"
# About one request a second until fake-entra has counted $1 refresh requests;
# gives up after $2 requests or $3 seconds, whichever comes first (the bounds
# only stop a broken run: the assertions below never look at the clock).
loop_requests() {  # refresh-count max-requests max-seconds
    local i end=$((SECONDS + $3))
    for ((i = 0; i < $2 && SECONDS < end; i++)); do
        curl -s --max-time 10 -o /dev/null -w '%{http_code}\n' "$PROXY_URL/api/v1/namespaces/default/pods" >>"$WORK/codes"
        (($(entra_counter '.token.refresh_token') >= $1)) && return 0
        sleep 1
    done
    return 1
}
# Two refreshes come about 2 x LIFETIME/2 after the login: allow a minute more.
loop_requests $((base + 2)) $((LIFETIME + 60)) $((LIFETIME + 60)) ||
    fail "two refreshes did not happen: $(entra_counter '.token.refresh_token') after base $base"
# The next refresh is half a lifetime away: a few more seconds of requests cause none.
loop_requests $((base + 3)) 15 30 && fail "an extra refresh happened"
assert_eq $((base + 2)) "$(entra_counter '.token.refresh_token')" "refresh requests"
total=$(wc -l <"$WORK/codes")
assert_eq "$total" "$(grep -c '^200$' "$WORK/codes")" "requests answered 200 (of $total)"
assert_eq 0 "$(apiserver_control counters | jq .unauthorized)" "401s at the API server"
tail -n +$((log_mark + 1)) "$WORK/proxy.log" | grep -q ' 401 ' && fail "the proxy answered 401 after the login"
[[ $(grep -c '(refreshed)' "$WORK/proxy.log") == 2 ]] || fail "refreshes in -v output: $(grep -c '(refreshed)' "$WORK/proxy.log")"

apiserver_control emit '{"type":"MODIFIED","name":"web-7d9c6b8f5d-4xk2p","namespace":"default"}' >/dev/null
wait_until "the event on the long watch" grep -q '"type":"MODIFIED"' "$WORK/watch.out"
pass "watch and $total requests across two refreshes: no 401, exactly two refresh requests"

assert_no_token_in "$WORK/proxy.log" "$WORK/401.json" "$WORK/watch.out"
