#!/usr/bin/env bash
# The identity provider misbehaving while aks-token refreshes an expired
# token without a terminal (kubectl in CI, Headlamp): every transient failure
# (connection reset or closed, truncated, HTML, garbage, 429, 5xx, a provider
# that never answers) is retried a bounded number of times within --timeout
# and ends in exit 1 with one line naming what failed, the cache entry
# untouched; only an OAuth answer that the grant is dead leads to exit 3 with
# the AADSTS code and its advice, and drops the refresh token. Never a
# signal (SIGPIPE on a reset connection), never a prompt nobody sees.
source "$(dirname "$0")/lib.sh"
start_signed_in
age_cache_entry expired
snapshot_cache

refreshes() { entra_counter .token.refresh_token; }
get_token_batch() {  # extra args
    KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH aks_token get-token "${LOGIN_FLAGS[@]}" "$@"
}

# A transient fault on every try: exit 1, one line, the tries counted, entry intact.
transient_case() {  # name fault-json line-pattern tries
    local before
    entra_clear_faults
    entra_fault "$2"
    before=$(refreshes)
    run_capture get_token_batch
    expect_result 1 "^aks-token: identity provider unavailable: $3" "$1"
    assert_eq "$4" "$(($(refreshes) - before))" "$1: refresh requests"
    assert_cache_intact "$1"
    pass "$1"
}

transient_case "connection reset" '{"endpoint":"token","kind":"reset","count":3}' \
    'cannot reach 127\.0\.0\.1:[0-9]+: .* after 3 tries' 3
transient_case "connection closed" '{"endpoint":"token","kind":"close","count":3}' \
    'cannot reach 127\.0\.0\.1:[0-9]+: .* after 3 tries' 3
transient_case "truncated answer" '{"endpoint":"token","kind":"truncated","count":3}' \
    'cannot reach 127\.0\.0\.1:[0-9]+: .* after 3 tries' 3
transient_case "captive portal (HTML, 200)" '{"endpoint":"token","kind":"html","count":3}' \
    'HTTP 200 from 127\.0\.0\.1 .*HTML.* after 3 tries' 3
transient_case "proxy error page (HTML, 403)" '{"endpoint":"token","kind":"html","status":403,"count":3}' \
    'HTTP 403 from 127\.0\.0\.1 .*HTML.* after 3 tries' 3
transient_case "garbage (200)" '{"endpoint":"token","kind":"garbage","count":3}' \
    'HTTP 200 from 127\.0\.0\.1 .*not JSON.* after 3 tries' 3
transient_case "JSON without a token (200)" '{"endpoint":"token","status":200,"body":"{\"token_type\":\"Bearer\"}","count":3}' \
    'HTTP 200 from 127\.0\.0\.1 .*access_token.* after 3 tries' 3
transient_case "persistent 429" '{"endpoint":"token","status":429,"count":3}' \
    'HTTP 429 from 127\.0\.0\.1 (\(AADSTS90055\) )?after 3 tries' 3
transient_case "503 with Retry-After" '{"endpoint":"token","status":503,"retry_after":"1","count":3}' \
    'HTTP 503 from 127\.0\.0\.1 (\(AADSTS90033\) )?after 3 tries' 3
# A Retry-After beyond what --timeout leaves is not waited for: one try.
transient_case "429 asking for an hour" '{"endpoint":"token","status":429,"retry_after":"3600","count":1}' \
    'HTTP 429 from 127\.0\.0\.1 (\(AADSTS90055\) )?after 1 try .*3600' 1

# Retry-After is honoured (the waits show with -v), then the answer is used.
entra_clear_faults
entra_fault '{"endpoint":"token","status":503,"retry_after":"1","count":1}'
before=$(refreshes)
run_capture get_token_batch -v 1
assert_eq 0 "$RC" "503 then success: exit code ($(cat "$WORK/err"))"
grep -q 'Retry-After' "$WORK/err" || fail "-v should show the Retry-After wait: $(cat "$WORK/err")"
assert_eq 2 "$(($(refreshes) - before))" "503 then success: refresh requests"
jq -e .status.token "$WORK/out" >/dev/null || fail "no token after the retry"
assert_no_token_in "$WORK/err"
pass "Retry-After honoured, then the answer used"

# A provider that accepts and never answers costs --timeout, not minutes.
age_cache_entry expired
snapshot_cache
entra_clear_faults
entra_fault '{"endpoint":"token","delay_ms":60000,"count":3}'
before=$(refreshes)
RC=0
timeout 30 env KUBERNETES_EXEC_INFO="$EXEC_INFO_BATCH" "$AKS_BIN_DIR/aks-token" get-token "${LOGIN_FLAGS[@]}" \
    --timeout 3 >"$WORK/out" 2>"$WORK/err" </dev/null || RC=$?
[[ $RC != 124 ]] || fail "--timeout 3 did not bound the refresh (still waiting after 30 s)"
expect_result 1 '^aks-token: identity provider unavailable: .*(--timeout|timed out)' "no answer"
assert_eq 1 "$(($(refreshes) - before))" "no answer: refresh requests"
assert_cache_intact "no answer"
entra_clear_faults
pass "--timeout bounds a refresh the provider never answers"

# Dead grants: exit 3 naming the AADSTS code and the advice, refresh token dropped.
dead_grant_case() {  # aadsts advice-pattern
    local before
    aks_token login --force "${LOGIN_FLAGS[@]}" 2>/dev/null </dev/null || fail "login failed"
    age_cache_entry expired
    entra_clear_faults
    entra_fault "{\"endpoint\":\"token\",\"aadsts\":$1}"
    before=$(refreshes)
    run_capture get_token_batch
    expect_result 3 "^aks-token: .*AADSTS$1.*$2.*run: aks-token login " "AADSTS$1"
    assert_eq 1 "$(($(refreshes) - before))" "AADSTS$1: refresh requests"
    [[ $(jq -r '.refresh_token // empty' "$(cache_file)" 2>/dev/null) == "" ]] ||
        fail "AADSTS$1: the rejected refresh token is still cached"
    # The next run does not send it again.
    run_capture get_token_batch
    assert_eq 3 "$RC" "AADSTS$1: second run exit code"
    assert_eq 1 "$(($(refreshes) - before))" "AADSTS$1: refresh requests after the second run"
    pass "AADSTS$1: exit 3 with advice, refresh token dropped"
}
dead_grant_case 700082 'sign in again'
dead_grant_case 70043 'sign in again'
dead_grant_case 50076 'multi-factor'
dead_grant_case 53003 'Conditional Access'
dead_grant_case 65001 'consent'

# A dead grant while the access token still works: that token is used, the
# refresh token dropped, one warning line.
aks_token login --force "${LOGIN_FLAGS[@]}" 2>/dev/null </dev/null || fail "login failed"
age_cache_entry margin
still=$(jq -r .access_token "$(cache_file)")
entra_clear_faults
entra_fault '{"endpoint":"token","aadsts":700082}'
run_capture get_token_batch
expect_result 0 '^aks-token: warning: .*AADSTS700082.*until ' "dead grant, valid token"
assert_eq "$still" "$(jq -r .status.token "$WORK/out")" "the still-valid token"
assert_eq "$still" "$(jq -r .access_token "$(cache_file)")" "cached access token kept"
[[ $(jq -r '.refresh_token // empty' "$(cache_file)") == "" ]] || fail "the rejected refresh token is still cached"
pass "dead grant with a valid access token: token used, refresh token dropped"

# In a terminal, a dead grant leads to the configured sign-in (device code),
# after one line saying why.
aks_token login --force "${LOGIN_FLAGS[@]}" 2>/dev/null </dev/null || fail "login failed"
age_cache_entry expired
entra_clear_faults
entra_fault '{"endpoint":"token","grant_type":"refresh_token","aadsts":50076}'
devicecodes=$(entra_counter .devicecode)
KUBERNETES_EXEC_INFO=$EXEC_INFO_INTERACTIVE run_capture aks_token get-token "${LOGIN_FLAGS[@]}"
assert_eq 0 "$RC" "interactive sign-in after a dead grant ($(cat "$WORK/err"))"
assert_eq $((devicecodes + 1)) "$(entra_counter .devicecode)" "device code sign-ins"
grep -q "AADSTS50076" "$WORK/err" || fail "the reason for signing in again is not shown: $(cat "$WORK/err")"
grep -q "enter the code" "$WORK/err" || fail "no device code prompt: $(cat "$WORK/err")"
jq -e .status.token "$WORK/out" >/dev/null || fail "no token after signing in again"
pass "interactive: a dead grant leads to the device code sign-in"
