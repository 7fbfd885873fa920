#!/usr/bin/env bash
# status shows who is signed in (never the token); logout removes entries.
source "$(dirname "$0")/lib.sh"
start_entra
use_test_ca
set_login_flags
entra_control config '{"auto_approve_after":0,"interval":0,"upn":"bob@contoso.example","groups":["g1","g2","g3"]}' >/dev/null
aks_token login "${LOGIN_FLAGS[@]}" 2>"$WORK/login.err" </dev/null || fail "login failed"
grep -q "bob@contoso.example" "$WORK/login.err" || fail "login must say who signed in"

aks_token status --cache-dir "$CACHE_DIR" >"$WORK/status" 2>&1 || fail "status failed"
grep -q "bob@contoso.example" "$WORK/status" || fail "status must show the user"
grep -q "$TENANT" "$WORK/status" || fail "status must show the tenant"
grep -q "$SERVER_ID" "$WORK/status" || fail "status must show the audience"
assert_no_token_in "$WORK/status"
refresh=$(jq -r .refresh_token "$(cache_file)")
! grep -qF "$refresh" "$WORK/status" || fail "status shows the refresh token"

aks_token whoami "${LOGIN_FLAGS[@]}" --output json >"$WORK/status.json" || fail "whoami --output json failed"
jq -e '.[0].user == "bob@contoso.example" and .[0].groups == 3' "$WORK/status.json" >/dev/null ||
    fail "json status fields: $(cat "$WORK/status.json")"
assert_no_token_in "$WORK/status.json"

aks_token logout "${LOGIN_FLAGS[@]}" >"$WORK/logout" 2>&1 || fail "logout failed"
grep -qi "removed" "$WORK/logout" || fail "logout must say what it removed"
[[ -z $(cache_file) ]] || fail "logout left the entry"
aks_token status --cache-dir "$CACHE_DIR" | grep -qi "no cached tokens" || fail "status after logout"
pass "status and logout"
