#!/usr/bin/env bash
# First run prompts (device code on stderr) and caches; the second run makes
# no request at all; files are private.
source "$(dirname "$0")/lib.sh"
start_entra
use_test_ca
set_login_flags
entra_control config '{"auto_approve_after":1,"interval":0}' >/dev/null

get_token_interactive "$WORK/out1" "$WORK/err1" || fail "first get-token failed: $(cat "$WORK/err1")"
grep -q "enter the code" "$WORK/err1" || fail "device code prompt not on stderr"
assert_no_token_in "$WORK/err1"
jq -e '.kind == "ExecCredential" and .apiVersion == "client.authentication.k8s.io/v1"' "$WORK/out1" >/dev/null ||
    fail "stdout is not a v1 ExecCredential"
token1=$(jq -r .status.token "$WORK/out1")
[[ $token1 == eyJ* ]] || fail "no JWT in ExecCredential"
assert_eq 1 "$(entra_counter .devicecode)" "devicecode requests"
assert_eq 1 "$(entra_counter .token_issued)" "tokens issued"

# expirationTimestamp = expiry - 5 min margin (3600 s lifetime)
exp=$(jq -r .expires_on "$(cache_file)")
assert_eq "$(date -u -d "@$((exp - 300))" +%Y-%m-%dT%H:%M:%SZ)" "$(jq -r .status.expirationTimestamp "$WORK/out1")" \
    "expirationTimestamp"

assert_eq 700 "$(file_mode "$CACHE_DIR")" "cache dir mode"
assert_eq 600 "$(file_mode "$(cache_file)")" "cache file mode"
jq -e '.schema == 1 and .key.tenant_id != "" and (.refresh_token | length) > 0' "$(cache_file)" >/dev/null ||
    fail "cache entry lacks schema/key/refresh token"

before=$(entra_control counters | jq -c .)
get_token_interactive "$WORK/out2" "$WORK/err2" || fail "second get-token failed"
after=$(entra_control counters | jq -c .)
assert_eq "$before" "$after" "identity provider counters after a cache hit"
assert_eq "$token1" "$(jq -r .status.token "$WORK/out2")" "cached token"
[[ ! -s $WORK/err2 ]] || fail "cache hit wrote to stderr: $(cat "$WORK/err2")"

# v1beta1 when KUBERNETES_EXEC_INFO is absent; `token` prints the bare token.
aks_token get-token "${LOGIN_FLAGS[@]}" </dev/null >"$WORK/out3" 2>/dev/null
jq -e '.apiVersion == "client.authentication.k8s.io/v1beta1"' "$WORK/out3" >/dev/null || fail "expected v1beta1"
assert_eq "$token1" "$(aks_token token "${LOGIN_FLAGS[@]}" </dev/null)" "aks-token token"
pass "device code login, cache hit, file modes"
