#!/usr/bin/env bash
# Corrupt cache files are misses that a new login repairs; unsafe cache
# directories are refused with a message naming the fix.
source "$(dirname "$0")/lib.sh"
start_entra
use_test_ca
set_login_flags
entra_control config '{"auto_approve_after":0,"interval":0}' >/dev/null
aks_token login "${LOGIN_FLAGS[@]}" 2>/dev/null </dev/null || fail "login failed"
f=$(cache_file)

for garbage in 'not json at all' '{"schema":1,"access_token":' '{"schema":99}' ''; do
    printf '%s' "$garbage" >"$f"
    get_token_interactive "$WORK/out" "$WORK/err" || fail "corrupt cache ('$garbage') not recovered: $(cat "$WORK/err")"
    jq -e .status.token "$WORK/out" >/dev/null || fail "no token after recovery"
    jq -e '.schema == 1' "$f" >/dev/null || fail "cache not rewritten"
done
assert_eq 5 "$(entra_counter .devicecode)" "logins (one per corrupt file + the first)"

# Group/world-writable directory: refused, nothing printed on stdout.
chmod 777 "$CACHE_DIR"
rc=0
get_token_interactive "$WORK/out" "$WORK/err" || rc=$?
[[ $rc -ne 0 ]] || fail "a world-writable cache dir must be refused"
grep -q "chmod 700" "$WORK/err" || fail "message must name the fix: $(cat "$WORK/err")"
[[ ! -s $WORK/out ]] || fail "stdout must be empty"
chmod 700 "$CACHE_DIR"

# Owned by someone else (only root can arrange that here).
if [[ $(id -u) -eq 0 ]]; then
    chown 65534 "$CACHE_DIR"
    rc=0
    get_token_interactive "$WORK/out" "$WORK/err" || rc=$?
    [[ $rc -ne 0 ]] || fail "a foreign-owned cache dir must be refused"
    grep -q "owned by" "$WORK/err" || fail "message must say who owns it: $(cat "$WORK/err")"
    chown 0 "$CACHE_DIR"
fi

# A cache entry that is a symlink is not followed.
target=$WORK/elsewhere.json
cp "$f" "$target"
rm "$f"
ln -s "$target" "$f"
get_token_interactive "$WORK/out" "$WORK/err" || fail "symlinked entry should be a miss: $(cat "$WORK/err")"
[[ ! -L $f ]] || fail "symlinked entry must be replaced by a regular file"

# A cache directory that cannot be created: one line, non-zero, no token.
rc=0
KUBERNETES_EXEC_INFO=$EXEC_INFO_INTERACTIVE aks_token get-token "${LOGIN_FLAGS[@]}" --cache-dir /dev/null/cache \
    >"$WORK/out" 2>"$WORK/err" </dev/null || rc=$?
[[ $rc -ne 0 ]] || fail "an impossible cache dir must fail"
assert_eq 1 "$(wc -l <"$WORK/err")" "error lines"
[[ ! -s $WORK/out ]] || fail "stdout must be empty"
pass "corrupt cache recovered, unsafe directories refused"
