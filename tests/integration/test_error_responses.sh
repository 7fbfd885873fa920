#!/usr/bin/env bash
# Identity provider failures during a device code login: AADSTS errors with
# advice, 429/503 with Retry-After retried, HTML and truncated JSON retried
# and then reported clearly; never a token in an error, never a partial
# cache file. (test_idp_faults.sh covers the refresh path.)
source "$(dirname "$0")/lib.sh"
start_entra
use_test_ca
set_login_flags

run_login() {  # expected-exit
    local rc=0
    aks_token login "${LOGIN_FLAGS[@]}" >"$WORK/out" 2>"$WORK/err" </dev/null || rc=$?
    assert_eq "$1" "$rc" "exit code"
    assert_no_token_in "$WORK/out" "$WORK/err"
}
no_cache_file() { [[ -z $(ls "$CACHE_DIR" 2>/dev/null | grep -v '\.lock$') ]] || fail "cache must stay empty: $(ls "$CACHE_DIR")"; }
one_line_error() {
    local lines
    lines=$(grep -c '^aks-token: ' "$WORK/err" || true)
    assert_eq 1 "$lines" "error lines"
}

# 429 with Retry-After on devicecode, then 503 with Retry-After on the token poll: retried.
entra_control config '{"auto_approve_after":0,"interval":0}' >/dev/null
entra_control fault '{"path_contains":"/devicecode","status":429,"retry_after":"1","count":1}' >/dev/null
entra_control fault '{"path_contains":"/token","status":503,"retry_after":"1","count":2}' >/dev/null
run_login 0
assert_eq 3 "$(entra_counter .faults_served)" "faults served before success"
aks_token logout --all --cache-dir "$CACHE_DIR" >/dev/null

# AADSTS error on the token poll: one line with the code and its advice.
entra_control reset >/dev/null
entra_control config '{"auto_approve_after":0,"interval":0}' >/dev/null
entra_control fault '{"path_contains":"/token","status":400,"count":1,"content_type":"application/json","body":"{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS53003: Access has been blocked by Conditional Access policies.\\r\\nTrace ID: 0000\",\"error_codes\":[53003],\"trace_id\":\"0000\",\"correlation_id\":\"1111\"}"}' >/dev/null
run_login 1
grep -q "AADSTS53003" "$WORK/err" || fail "AADSTS code missing: $(cat "$WORK/err")"
grep -qi "conditional access" "$WORK/err" || fail "advice missing: $(cat "$WORK/err")"
one_line_error
no_cache_file

# HTML error page (a gateway) on every try, and a 200 with truncated JSON on
# every try: transient, so retried (3 tries), then one line.
entra_control reset >/dev/null
entra_control config '{"auto_approve_after":0,"interval":0}' >/dev/null
entra_control fault '{"path_contains":"/devicecode","status":502,"count":3,"content_type":"text/html","body":"<html><body>Bad Gateway</body></html>"}' >/dev/null
run_login 1
grep -q "HTTP 502 from 127.0.0.1 after 3 tries" "$WORK/err" || fail "HTTP status missing: $(cat "$WORK/err")"
one_line_error
no_cache_file

entra_control reset >/dev/null
entra_control config '{"auto_approve_after":0,"interval":0}' >/dev/null
entra_control fault '{"path_contains":"/token","status":200,"count":3,"content_type":"application/json","body":"{\"token_type\":\"Bearer\",\"access_token\":\"eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.abcdefghij"}' >/dev/null
run_login 1
grep -q "not JSON: truncated or garbage) after 3 tries" "$WORK/err" || fail "truncated JSON not reported: $(cat "$WORK/err")"
one_line_error
no_cache_file

# Once is not fatal: a single truncated answer is retried and the login completes.
entra_control reset >/dev/null
entra_control config '{"auto_approve_after":0,"interval":0}' >/dev/null
entra_control fault '{"path_contains":"/token","status":200,"count":1,"content_type":"application/json","body":"{\"token_type\":"}' >/dev/null
run_login 0
aks_token logout --all --cache-dir "$CACHE_DIR" >/dev/null

# Declined and expired device codes.
entra_control reset >/dev/null
entra_control config '{"interval":0}' >/dev/null
( for _ in $(seq 100); do
      entra_control decline '{}' 2>/dev/null | grep -q '[1-9]' && break
      sleep 0.1
  done ) &
run_login 1
grep -qi "declined" "$WORK/err" || fail "declined not reported: $(cat "$WORK/err")"

entra_control reset >/dev/null
entra_control config '{"interval":0,"expires_in":1}' >/dev/null
( for _ in $(seq 100); do
      entra_control expire '{}' 2>/dev/null | grep -q '[1-9]' && break
      sleep 0.1
  done ) &
run_login 1
grep -qi "expired" "$WORK/err" || fail "expiry not reported: $(cat "$WORK/err")"
no_cache_file
pass "AADSTS advice, Retry-After retries, HTML/truncated JSON, declined/expired"
