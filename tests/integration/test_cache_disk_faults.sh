#!/usr/bin/env bash
# Writing the cache under faults. A writer killed between writing its
# temporary file and renaming it leaves a token on disk: `status` shows such
# files, the next write sweeps them (never a live writer's) and `logout --all`
# removes them. A full disk, a read-only or a foreign-owned cache directory
# give one clear line and leave the previous entry as it was.
source "$(dirname "$0")/lib.sh"
start_signed_in
SHIM=$AKS_BIN_DIR/libaks-disk-faults.so
[[ -f $SHIM ]] || fail "$SHIM is missing (built with the tests)"

temp_files() { find "$CACHE_DIR" -maxdepth 1 -type f -name '*.tmp.*' | sort; }
files_with_tokens() { grep -lE 'eyJ[A-Za-z0-9_-]{10,}\.|refresh_token' "$CACHE_DIR"/* "$CACHE_DIR"/.[!.]* 2>/dev/null || true; }

# A login whose rename is delayed (the shim), started in the background;
# sets WRITER to its pid once its temporary file exists.
start_slow_writer() {  # extra login args...
    local i
    LD_PRELOAD=$SHIM AKS_FAULT_PATH=$CACHE_DIR AKS_FAULT_RENAME_DELAY_MS=8000 \
        "$AKS_BIN_DIR/aks-token" login --force "${LOGIN_FLAGS[@]}" "$@" >/dev/null 2>&1 </dev/null &
    WRITER=$!
    _pids+=("$WRITER")
    for ((i = 0; i < 200; i++)); do
        [[ -n $(temp_files) ]] && return
        sleep 0.05
    done
    fail "the slow writer made no temporary file"
}

# --- killed between write and rename
start_slow_writer
kill -KILL "$WRITER"
wait "$WRITER" 2>/dev/null || true
[[ -n $(temp_files) ]] || fail "the killed writer left no temporary file (test set-up)"
run_capture aks_token status --cache-dir "$CACHE_DIR"
assert_eq 0 "$RC" "status exit code"
grep -qi 'interrupted' "$WORK/out" || fail "status does not show the leftover temporary file: $(cat "$WORK/out")"
assert_no_token_in "$WORK/out"
pass "status shows a killed writer's temporary file"

# The next write sweeps it.
aks_token login --force "${LOGIN_FLAGS[@]}" 2>/dev/null </dev/null || fail "login failed"
[[ -z $(temp_files) ]] || fail "the next write did not sweep: $(temp_files)"
pass "the next write sweeps a dead writer's temporary file"

# A live writer's temporary file is not swept by another identity's write.
start_slow_writer --login-hint bob@contoso.example
live=$(temp_files)
aks_token login --force "${LOGIN_FLAGS[@]}" 2>/dev/null </dev/null || fail "login failed"
[[ -n $(temp_files) && $(temp_files) == "$live" ]] || fail "a live writer's temporary file was swept"
wait "$WRITER" || fail "the slow writer failed after another write swept the directory"
assert_eq 2 "$(ls "$CACHE_DIR"/*.json | wc -l)" "cache entries after both writes"
[[ -z $(temp_files) ]] || fail "temporary files left after both writes: $(temp_files)"
pass "a live writer's temporary file is left alone"

# logout --all leaves no file holding a token, temporary ones included.
start_slow_writer
kill -KILL "$WRITER"
wait "$WRITER" 2>/dev/null || true
aks_token logout --all --cache-dir "$CACHE_DIR" >/dev/null || fail "logout --all failed"
[[ -z $(files_with_tokens) ]] || fail "files holding a token after logout --all: $(files_with_tokens)"
pass "logout --all removes temporary files too"

# --- disk faults: one line, the previous entry intact, no temporary file left.
aks_token login "${LOGIN_FLAGS[@]}" 2>/dev/null </dev/null || fail "login failed"
age_cache_entry margin
snapshot_cache
# A fault found only when saving comes after the sign-in's prompt line.
drop_prompt_lines() {
    grep -v '^To sign in' "$WORK/err" >"$WORK/err.lines" || true
    mv "$WORK/err.lines" "$WORK/err"
}
disk_case() {  # AKS_FAULT pattern
    LD_PRELOAD=$SHIM AKS_FAULT_PATH=$CACHE_DIR AKS_FAULT=$1 run_capture aks_token login --force "${LOGIN_FLAGS[@]}"
    drop_prompt_lines
    expect_result 1 "$2" "$1"
    assert_cache_intact "$1"
    [[ -z $(temp_files) ]] || fail "$1: temporary file left: $(temp_files)"
    pass "$1: one line, entry intact"
}
disk_case write:ENOSPC "^aks-token: cannot save the token .*: No space left on device"
disk_case fsync:EIO "^aks-token: cannot save the token .*: Input/output error"
disk_case rename:EROFS "^aks-token: cannot save the token .*: Read-only file system"
disk_case mkostemp:EROFS "^aks-token: cannot save the token .*: Read-only file system"
disk_case open:EROFS "^aks-token: .*cache .*: Read-only file system"

# A refresh that cannot save falls back to the still-valid token with a warning.
LD_PRELOAD=$SHIM AKS_FAULT_PATH=$CACHE_DIR AKS_FAULT=write:ENOSPC \
    KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH run_capture aks_token get-token "${LOGIN_FLAGS[@]}"
expect_result 0 "^aks-token: warning: cannot save the token .*No space left on device" "refresh on a full disk"
assert_eq "$(jq -r .access_token "$WORK/cache.snapshot")" "$(jq -r .status.token "$WORK/out")" "token on a full disk"
assert_cache_intact "refresh on a full disk"
pass "a refresh that cannot be saved uses the still-valid token"

# Foreign-owned directory (only root can arrange that here).
if [[ $(id -u) -eq 0 ]]; then
    chown 65534 "$CACHE_DIR"
    run_capture aks_token login --force "${LOGIN_FLAGS[@]}"
    expect_result 1 "^aks-token: cache directory .* is owned by uid 65534" "foreign-owned directory"
    chown 0 "$CACHE_DIR"
    assert_cache_intact "foreign-owned directory"
    pass "foreign-owned cache directory refused"
fi

# A real full disk: a small tmpfs, where the machine lets us mount one.
if [[ $(id -u) -eq 0 ]] && mkdir -p "$WORK/small" && mount -t tmpfs -o size=64k,mode=700 tmpfs "$WORK/small" 2>/dev/null; then
    trap 'umount "$WORK/small" 2>/dev/null || true; _cleanup' EXIT
    SMALL=$WORK/small/cache
    aks_token login "${LOGIN_FLAGS[@]}" --cache-dir "$SMALL" 2>/dev/null </dev/null || fail "login on tmpfs failed"
    before=$(cat "$SMALL"/*.json)
    dd if=/dev/zero of="$WORK/small/filler" bs=4k count=64 2>/dev/null || true  # fills the rest
    run_capture aks_token login --force "${LOGIN_FLAGS[@]}" --cache-dir "$SMALL"
    drop_prompt_lines
    expect_result 1 "^aks-token: cannot save the token .*No space left on device" "tmpfs full"
    assert_eq "$before" "$(cat "$SMALL"/*.json)" "entry on the full tmpfs"
    [[ -z $(find "$SMALL" -name '*.tmp.*') ]] || fail "temporary file left on the full tmpfs"
    pass "a really full disk: one line, entry intact"
else
    echo "skip: cannot mount a small tmpfs here"
fi
