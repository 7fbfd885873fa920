#!/usr/bin/env bash
# Hundreds of logins and refreshes killed (SIGKILL) at random moments,
# a third of them while the writer pauses between writing its temporary file
# and renaming it (the disk-fault shim's rename delay): the cache entry is
# always a whole old or new file that parses, the next run works, and after
# `logout --all` no file in the cache directory holds a token.
source "$(dirname "$0")/lib.sh"
RUNS=${AKS_CRASH_RUNS:-200}
SHIM=$AKS_BIN_DIR/libaks-disk-faults.so
[[ -f $SHIM ]] || fail "$SHIM is missing (built with the tests)"
# A refresh killed after Entra answered leaves the old refresh token cached:
# Entra keeps honouring it (the fake, by default, would not, and the dead-grant
# rule would then rightly drop the entry, which is not what this test is about).
start_signed_in '"refresh_token_single_use":false'
upn=$(jq -r .claims.upn "$(cache_file)")

check_entry() {  # run number
    local f
    f=$(cache_file)
    [[ -n $f ]] || fail "run $1: the cache entry is gone"
    assert_eq 600 "$(file_mode "$f")" "run $1: entry mode"
    jq -e --arg upn "$upn" '.schema == 1 and .claims.upn == $upn and (.access_token | split(".") | length == 3)' \
        "$f" >/dev/null || fail "run $1: the entry is not a whole cache file: $(head -c 200 "$f" | tr -d '\n')"
}

killed_in_window=0  # runs after which a killed writer's temporary file was there
for ((i = 1; i <= RUNS; i++)); do
    case $((i % 3)) in
        0) # a forced login (a whole device code sign-in), killed anywhere
            "$AKS_BIN_DIR/aks-token" login --force "${LOGIN_FLAGS[@]}" >/dev/null 2>&1 </dev/null &
            delay=$((RANDOM % 60)) ;;
        1) # a refresh of an expired token, killed anywhere
            age_cache_entry expired
            KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH "$AKS_BIN_DIR/aks-token" get-token "${LOGIN_FLAGS[@]}" \
                >/dev/null 2>&1 </dev/null &
            delay=$((RANDOM % 60)) ;;
        2) # killed while it waits between write and rename, mostly
            LD_PRELOAD=$SHIM AKS_FAULT_PATH=$CACHE_DIR AKS_FAULT_RENAME_DELAY_MS=250 \
                "$AKS_BIN_DIR/aks-token" login --force "${LOGIN_FLAGS[@]}" >/dev/null 2>&1 </dev/null &
            delay=$((50 + RANDOM % 250)) ;;
    esac
    pid=$!
    sleep "$(printf '0.%03d' "$delay")"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    [[ -n $(find "$CACHE_DIR" -name '*.tmp.*') ]] && killed_in_window=$((killed_in_window + 1))
    check_entry "$i"
done
((killed_in_window > 0)) || fail "no run was killed between write and rename (test set-up)"
pass "$RUNS killed runs ($killed_in_window left a temporary file behind): the entry was always whole"

# The next run works (and its write sweeps what the killed writers left).
age_cache_entry expired
run_capture env KUBERNETES_EXEC_INFO="$EXEC_INFO_BATCH" "$AKS_BIN_DIR/aks-token" get-token "${LOGIN_FLAGS[@]}"
assert_eq 0 "$RC" "the run after the kills ($(cat "$WORK/err"))"
jq -e '.status.token | length > 20' "$WORK/out" >/dev/null || fail "no token after the kills"
[[ -z $(find "$CACHE_DIR" -name '*.tmp.*') ]] || fail "temporary files left after a successful write: $(ls -A "$CACHE_DIR")"
pass "the next run works and sweeps"

# Leave some behind again, then logout --all: no token anywhere in the directory.
for ((i = 0; i < 3; i++)); do
    LD_PRELOAD=$SHIM AKS_FAULT_PATH=$CACHE_DIR AKS_FAULT_RENAME_DELAY_MS=3000 \
        "$AKS_BIN_DIR/aks-token" login --force "${LOGIN_FLAGS[@]}" >/dev/null 2>&1 </dev/null &
    pid=$!
    for ((j = 0; j < 100; j++)); do [[ -n $(find "$CACHE_DIR" -name '*.tmp.*') ]] && break; sleep 0.05; done
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
done
[[ -n $(find "$CACHE_DIR" -name '*.tmp.*') ]] || fail "no temporary file left (test set-up)"
aks_token logout --all --cache-dir "$CACHE_DIR" >"$WORK/out" || fail "logout --all failed"
grep -q "temporary file" "$WORK/out" || fail "logout --all does not mention the temporary files: $(cat "$WORK/out")"
if grep -rlE 'eyJ[A-Za-z0-9_-]{10,}\.|refresh_token' "$CACHE_DIR" >/dev/null 2>&1; then
    fail "a file still holds a token after logout --all: $(grep -rlE 'eyJ|refresh_token' "$CACHE_DIR")"
fi
pass "logout --all leaves no token in the cache directory"
