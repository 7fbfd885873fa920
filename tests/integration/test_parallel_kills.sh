#!/usr/bin/env bash
# 32 kubectl-style get-token on an empty cache while some are killed: five
# waiting ones, and twice the process holding the lock in the middle of its
# device code sign-in. The survivors all print the same token, and the
# number of sign-ins is one plus the holders killed mid-sign-in.
source "$(dirname "$0")/lib.sh"
start_entra
use_test_ca
set_login_flags
# Each sign-in takes a few seconds (approved at the 4th poll, 1 s apart).
entra_control config '{"auto_approve_after":3,"interval":1}' >/dev/null

declare -A alive
pids=()
for i in $(seq 32); do
    # The binary itself in the background (not a shell function), so that $!
    # is the pid the lock file names.
    KUBERNETES_EXEC_INFO=$EXEC_INFO_INTERACTIVE "$AKS_BIN_DIR/aks-token" get-token "${LOGIN_FLAGS[@]}" \
        >"$WORK/out.$i" 2>"$WORK/err.$i" </dev/null &
    pids+=($!)
    alive[$!]=$i
done
_pids+=("${pids[@]}")

# The pid in the lock file once it is one of ours and its sign-in has started.
holder_after() {  # sign-ins-so-far
    local i note pid
    for ((i = 0; i < 400; i++)); do
        note=$(cat "$CACHE_DIR"/*.lock 2>/dev/null || true)  # one identity, one lock file
        pid=$(sed -n 's/^pid \([0-9]*\) .*/\1/p' <<<"$note")
        if [[ -n $pid && -n ${alive[$pid]:-} ]] && (($(entra_counter .devicecode) > $1)); then
            echo "$pid"
            return
        fi
        sleep 0.05
    done
    fail "no lock holder started signing in (lock file: $(cat "$CACHE_DIR"/*.lock 2>/dev/null))"
}

killed_holders=0
holder=$(holder_after 0)
# Five waiters go; they cannot become holders while this one holds the lock.
n=0
for pid in "${pids[@]}"; do
    ((n < 5)) || break
    [[ $pid == "$holder" ]] && continue
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
    unset "alive[$pid]"
    n=$((n + 1))
done
kill -KILL "$holder"
wait "$holder" 2>/dev/null || true
unset "alive[$holder]"
killed_holders=$((killed_holders + 1))
holder=$(holder_after 1)
kill -KILL "$holder"
wait "$holder" 2>/dev/null || true
unset "alive[$holder]"
killed_holders=$((killed_holders + 1))

for pid in "${!alive[@]}"; do
    wait "$pid" || fail "get-token #${alive[$pid]} failed: $(cat "$WORK/err.${alive[$pid]}")"
done
survivors=${#alive[@]}
assert_eq 25 "$survivors" "survivors"
tokens=$(for pid in "${!alive[@]}"; do jq -r .status.token "$WORK/out.${alive[$pid]}"; done | sort -u)
assert_eq 1 "$(wc -l <<<"$tokens")" "distinct tokens printed by the survivors"
[[ ${#tokens} -gt 20 ]] || fail "no token printed"
assert_eq $((1 + killed_holders)) "$(entra_counter .devicecode)" "sign-ins (1 + holders killed mid-sign-in)"
assert_eq 1 "$(entra_counter .token_issued)" "tokens issued"
pass "$survivors survivors print one token; $(entra_counter .devicecode) sign-ins for $killed_holders killed holders"
