#!/usr/bin/env bash
# Another process holds the identity's lock (an `aks-token login` waiting for
# its device code in another terminal, even a suspended one): a still-valid
# token is returned at once without the lock; an expired one waits at most
# --timeout, says after about two seconds whom it waits for (pid and command
# from the lock file), then gives up with one line. Once the holder is gone
# the next run refreshes as usual.
source "$(dirname "$0")/lib.sh"
start_signed_in

# The holder: a forced login whose device code nobody approves.
entra_control config '{"auto_approve_after":-1,"interval":1}' >/dev/null
"$AKS_BIN_DIR/aks-token" login --force "${LOGIN_FLAGS[@]}" >/dev/null 2>"$WORK/holder.err" </dev/null &
holder=$!
_pids+=("$holder")
[[ -n $(wait_for_match "$WORK/holder.err" 'enter the code' "$holder") ]] || fail "the holder did not start signing in"
kill -STOP "$holder"  # suspended, as with Ctrl-Z in its terminal

age_cache_entry margin
still=$(jq -r .access_token "$(cache_file)")
tokens=$(entra_counter '.token | add')
RC=0
timeout 20 env KUBERNETES_EXEC_INFO="$EXEC_INFO_BATCH" "$AKS_BIN_DIR/aks-token" get-token "${LOGIN_FLAGS[@]}" \
    >"$WORK/out" 2>"$WORK/err" </dev/null || RC=$?
[[ $RC != 124 ]] || fail "get-token waited for the lock although the cached token is still valid"
assert_eq 0 "$RC" "valid token while locked: exit code ($(cat "$WORK/err"))"
assert_eq "$still" "$(jq -r .status.token "$WORK/out")" "the still-valid token"
assert_eq "$tokens" "$(entra_counter '.token | add')" "token requests while locked"
pass "a still-valid token is returned at once while another process holds the lock"

# Expired: wait, say for whom after ~2 s, give up at --timeout.
age_cache_entry expired
RC=0
timeout 30 env KUBERNETES_EXEC_INFO="$EXEC_INFO_BATCH" "$AKS_BIN_DIR/aks-token" get-token "${LOGIN_FLAGS[@]}" \
    --timeout 4 >"$WORK/out" 2>"$WORK/err" </dev/null || RC=$?
[[ $RC != 124 ]] || fail "--timeout 4 did not bound the wait for the lock"
assert_eq 1 "$RC" "expired token while locked: exit code ($(cat "$WORK/err"))"
assert_eq 2 "$(wc -l <"$WORK/err")" "stderr lines (one notice, one error): $(cat "$WORK/err")"
head -n1 "$WORK/err" | grep -qE "^aks-token: waiting for pid $holder \(aks-token login\)" ||
    fail "the notice should name the holder: $(cat "$WORK/err")"
tail -n1 "$WORK/err" | grep -qE "^aks-token: gave up after 4s waiting for pid $holder \(aks-token login\)" ||
    fail "the error should say whom it waited for: $(cat "$WORK/err")"
[[ ! -s $WORK/out ]] || fail "stdout must be empty"
assert_eq "$tokens" "$(entra_counter '.token | add')" "token requests while locked"
pass "an expired token waits at most --timeout and names the holder"

# The holder goes away: the lock is free again.
kill -KILL "$holder"
wait "$holder" 2>/dev/null || true
entra_control config '{"auto_approve_after":0,"interval":0}' >/dev/null
run_capture env KUBERNETES_EXEC_INFO="$EXEC_INFO_BATCH" "$AKS_BIN_DIR/aks-token" get-token "${LOGIN_FLAGS[@]}"
assert_eq 0 "$RC" "after the holder died ($(cat "$WORK/err"))"
jq -e .status.token "$WORK/out" >/dev/null || fail "no token after the holder died"
pass "a dead holder's lock is free"
