#!/usr/bin/env bash
# 32 parallel get-token on an empty cache: one device code, one token
# redeemed, all 32 print the same token.
source "$(dirname "$0")/lib.sh"
start_entra
use_test_ca
set_login_flags
entra_control config '{"auto_approve_after":2,"interval":0}' >/dev/null

pids=()
for i in $(seq 32); do
    get_token_interactive "$WORK/out.$i" "$WORK/err.$i" &
    pids+=($!)
done
for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || fail "get-token #$((i + 1)) failed: $(cat "$WORK/err.$((i + 1))")"
done
assert_eq 1 "$(entra_counter .devicecode)" "devicecode requests"
assert_eq 1 "$(entra_counter .token_issued)" "tokens issued"
tokens=$(for i in $(seq 32); do jq -r .status.token "$WORK/out.$i"; done | sort -u | wc -l)
assert_eq 1 "$tokens" "distinct tokens printed"
prompts=$(cat "$WORK"/err.* | grep -c "enter the code" || true)
assert_eq 1 "$prompts" "device code prompts shown"
pass "32 parallel kubectl-style runs share one sign-in"
