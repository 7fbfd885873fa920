#!/usr/bin/env bash
# A cached token inside the refresh margin is refreshed silently with exactly
# one request, and the rotated refresh token is stored.
source "$(dirname "$0")/lib.sh"
start_entra
use_test_ca
set_login_flags
entra_control config '{"auto_approve_after":0,"interval":0}' >/dev/null
aks_token login "${LOGIN_FLAGS[@]}" 2>/dev/null </dev/null || fail "login failed"

f=$(cache_file)
old_rt=$(jq -r .refresh_token "$f")
old_at=$(jq -r .access_token "$f")
now=$(date +%s)
# Age the entry: issued an hour ago, 100 s left (inside the 5-minute margin).
jq --argjson now "$now" '.obtained_at = ($now - 3500) | .expires_on = ($now + 100)' "$f" >"$WORK/aged"
cat "$WORK/aged" >"$f"

base=$(entra_counter '.token.refresh_token')
KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH aks_token get-token "${LOGIN_FLAGS[@]}" >"$WORK/out" 2>"$WORK/err" </dev/null ||
    fail "refresh failed: $(cat "$WORK/err")"
assert_eq $((base + 1)) "$(entra_counter '.token.refresh_token')" "refresh requests"
new_at=$(jq -r .status.token "$WORK/out")
[[ $new_at != "$old_at" ]] || fail "token was not refreshed"
new_rt=$(jq -r .refresh_token "$f")
[[ -n $new_rt && $new_rt != "$old_rt" ]] || fail "rotated refresh token not stored"
assert_eq 600 "$(file_mode "$f")" "cache file mode after refresh"

# Fresh again: no further request.
KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH aks_token get-token "${LOGIN_FLAGS[@]}" >/dev/null 2>&1 </dev/null
assert_eq $((base + 1)) "$(entra_counter '.token.refresh_token')" "refresh requests after the refresh"

# Refresh fails (revoked) while the old token is still valid: the old token is used.
jq --argjson now "$(date +%s)" '.obtained_at = ($now - 3500) | .expires_on = ($now + 100)' "$f" >"$WORK/aged"
cat "$WORK/aged" >"$f"
still=$(jq -r .access_token "$f")
entra_control config '{"refresh_token_valid":false}' >/dev/null
KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH aks_token get-token "${LOGIN_FLAGS[@]}" >"$WORK/out" 2>"$WORK/err" </dev/null ||
    fail "a still-valid token must be used when refresh fails: $(cat "$WORK/err")"
assert_eq "$still" "$(jq -r .status.token "$WORK/out")" "fallback token"
assert_no_token_in "$WORK/err"

# Expired and refresh revoked, no terminal: one line of guidance, exit 3, fast.
jq '.expires_on = 1000 | .obtained_at = 10' "$f" >"$WORK/aged"
cat "$WORK/aged" >"$f"
rc=0
KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH aks_token get-token "${LOGIN_FLAGS[@]}" >"$WORK/out" 2>"$WORK/err" </dev/null || rc=$?
assert_eq 3 "$rc" "exit code when sign-in is needed without a terminal"
[[ ! -s $WORK/out ]] || fail "stdout must be empty on failure"
grep -q "aks-token login" "$WORK/err" || fail "guidance must name aks-token login: $(cat "$WORK/err")"
pass "silent refresh with rotation, fallback, non-interactive guidance"
