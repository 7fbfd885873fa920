#!/usr/bin/env bash
# What aks-proxy can see of Headlamp's configuration, and warns about on
# start-up (headlamp_probe.h), against fake-headlamp's switches: a Headlamp
# that runs with -proxy-auth (believes X-Forwarded-* identity claims), one
# that runs with -unsafe-use-service-account-token (everyone acts as its
# service account), a --headlamp-cluster that Headlamp does not have, and a
# Headlamp older than v0.35 behind --headlamp-service (reads no token cookie).
# A Headlamp that uses the user's own token gets no warning. Identity claims
# a client sends never reach Headlamp.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
proxy_setup

# The pod's service-account token for the unsafe Headlamp: a token whose user
# fake-apiserver names system:serviceaccount:headlamp:headlamp.
entra_control config '{"upn":"system:serviceaccount:headlamp:headlamp"}' >/dev/null
SA_FLAGS=("${LOGIN_FLAGS[@]/$CACHE_DIR/$WORK/sa-cache}")
aks_token login "${SA_FLAGS[@]}" </dev/null >/dev/null 2>&1 || fail "service-account login failed"
aks_token get-token "${SA_FLAGS[@]}" </dev/null | jq -r .status.token >"$WORK/sa.token"
[[ -s $WORK/sa.token && $(cat "$WORK/sa.token") != null ]] || fail "no service-account token"
entra_control config '{"upn":"alice@contoso.example"}' >/dev/null
proxy_login || fail "login failed"

warnings_of() { grep 'aks-proxy: warning:' "$WORK/$1" || true; }
# Starts fake-headlamp NAME with ARGS… and aks-proxy --upstream to it; waits
# for its check (the probe's three requests reach the fake).
check_against() {  # name fake-args...
    local name=$1
    shift
    HEADLAMP_NAME=$name start_fake_headlamp "$@"
    [[ -f $WORK/proxy.log ]] && mv "$WORK/proxy.log" "$WORK/proxy-before-$name.log"
    start_proxy --upstream "$HEADLAMP_URL" --no-browser -v "${PROXY_ARGS[@]}"
    wait_until "aks-proxy's check of $name" grep -q 'Headlamp checked' "$WORK/proxy.log"
    cp "$WORK/proxy.log" "$WORK/proxy-$name.log"
}

PROXY_ARGS=()
check_against plain
assert_eq "" "$(warnings_of proxy-plain.log)" "warnings for a Headlamp that uses the user's token"
pass "a Headlamp that uses the user's token: no warning"

check_against proxyauth --proxy-auth
warnings_of proxy-proxyauth.log | grep -q -- '-proxy-auth' || fail "no -proxy-auth warning: $(cat "$WORK/proxy-proxyauth.log")"
pass "-proxy-auth detected and warned about"
# A client's identity claims do not reach that Headlamp: the token it uses is ours.
SESSION=$(curl -s -D - -o /dev/null "$(launch_url)" | grep -o "aks-proxy-$PROXY_PORT=[^;[:space:]]*" | head -n1)
code=$(curl -s -o "$WORK/me.json" -w '%{http_code}' -H "Cookie: $SESSION" -H 'X-Forwarded-User: mallory' \
    -H 'X-Forwarded-Group: system:masters' "$PROXY_URL/clusters/main/me")
assert_eq 200 "$code" "/me through aks-proxy"
assert_eq alice@contoso.example "$(jq -r .username "$WORK/me.json")" "who /me says the user is"
curl -s -o /dev/null -H "Cookie: $SESSION" -H 'X-Forwarded-Id-Token: someone-elses-token' \
    "$PROXY_URL/clusters/main/api/v1/namespaces/default/pods"
token=$(aks_token get-token "${LOGIN_FLAGS[@]}" </dev/null | jq -r .status.token)
assert_eq "cookie $(fake_fingerprint "$token")" \
    "$(curl -fsS "$HEADLAMP_URL/_fake/seen" | jq -r '[.[] | select(.route == "cluster")] | last | "\(.source) \(.fingerprint)"')" \
    "credential Headlamp used for a request that carried X-Forwarded-Id-Token"
pass "X-Forwarded-User/-Group/-Id-Token from a client never reach Headlamp"

check_against unsafe --unsafe-use-service-account-token "$WORK/sa.token"
warnings_of proxy-unsafe.log | grep -q 'system:serviceaccount:headlamp:headlamp' ||
    fail "no service-account warning: $(cat "$WORK/proxy-unsafe.log")"
pass "-unsafe-use-service-account-token detected and warned about"

PROXY_ARGS=(--headlamp-cluster aks.prod)
check_against wrongname
warnings_of proxy-wrongname.log | grep -q "no cluster named 'aks.prod' (it has: main)" ||
    fail "no cluster-name warning: $(cat "$WORK/proxy-wrongname.log")"
pass "a --headlamp-cluster Headlamp does not have is named, with the ones it has"

# Before v0.35 through the API server's service proxy: no token reaches Headlamp.
PROXY_ARGS=()
HEADLAMP_NAME=old start_fake_headlamp --header-only
node "$AKS_SOURCE_DIR/tests/fakes/fake-headlamp/service_proxy.js" --cert "$PKI/server.pem" --key "$PKI/server-key.pem" \
    --backend "$HEADLAMP_URL" --service headlamp/headlamp:http --apiserver "$APISERVER_URL" --ca "$PKI/ca.pem" \
    --port-file "$WORK/svc.port" >"$WORK/svc.log" 2>&1 &
_pids+=($!)
SVC_URL=https://127.0.0.1:$(_wait_port_file "$WORK/svc.port" $! fake-service-proxy)
APISERVER_URL=$SVC_URL write_kubeconfig "$WORK/svc.kubeconfig"
mv "$WORK/proxy.log" "$WORK/proxy-before-old.log"
KUBECONFIG_FILE=$WORK/svc.kubeconfig start_proxy --headlamp-service headlamp/headlamp --no-browser -v
wait_until "aks-proxy's check of the old Headlamp" grep -q 'Headlamp checked' "$WORK/proxy.log"
grep -q 'warning: .*before v0.35.0' "$WORK/proxy.log" || fail "no pre-0.35 warning: $(cat "$WORK/proxy.log")"
pass "Headlamp before v0.35 behind --headlamp-service: told to use --upstream"

assert_no_token_in "$WORK"/proxy*.log
