#!/usr/bin/env bash
# One handle: a context. convert-kubeconfig turns az aks get-credentials
# output into aks-token entries; login/token/status/logout --context then use
# exactly the cache entry the exec entry (what kubectl runs) reads.
source "$(dirname "$0")/lib.sh"
start_entra
start_apiserver
use_test_ca
entra_control config '{"auto_approve_after":0,"interval":0,"upn":"dana@contoso.example"}' >/dev/null
KC=$WORK/config
kubeconfig_from_fixture legacy-azure.yaml "$KC"
cp "$KC" "$WORK/original"

# Legacy azure auth-provider → aks-token, pointed at the fakes by explicit flags.
aks_token convert-kubeconfig --kubeconfig "$KC" --authority-host "$ENTRA_URL" --cache-dir "$CACHE_DIR" \
    --command "$AKS_BIN_DIR/aks-token" 2>"$WORK/convert.err" || fail "convert: $(cat "$WORK/convert.err")"
grep -q "clusterUser_myrg_myaks" "$WORK/convert.err" || fail "convert must name the user: $(cat "$WORK/convert.err")"
cmp -s "$WORK/original" "$KC.bak" || fail ".bak must hold the original"
assert_eq 600 "$(file_mode "$KC")" "converted file mode"
grep -q "auth-provider" "$KC" && fail "auth-provider left behind"
grep -q "interactiveMode: IfAvailable" "$KC" || fail "interactiveMode missing"

# Converting twice changes nothing (not even the .bak).
cp "$KC" "$WORK/once"
aks_token convert-kubeconfig --kubeconfig "$KC" --authority-host "$ENTRA_URL" --cache-dir "$CACHE_DIR" \
    --command "$AKS_BIN_DIR/aks-token" 2>"$WORK/again.err" || fail "second convert"
cmp -s "$WORK/once" "$KC" || fail "converting twice changed the file"
cmp -s "$WORK/original" "$KC.bak" || fail "second convert replaced the .bak"
grep -q "nothing to change" "$WORK/again.err" || fail "second convert should say so: $(cat "$WORK/again.err")"

# login --context fills the cache; the exec entry kubectl runs hits it.
aks_token login --kubeconfig "$KC" --context myaks 2>"$WORK/login.err" </dev/null || fail "login --context: $(cat "$WORK/login.err")"
grep -q "dana@contoso.example" "$WORK/login.err" || fail "login must say who signed in"
before=$(entra_requests)
# The args list as the converter writes it (block list, values quoted only when needed).
mapfile -t exec_args < <(awk '/^ *args:$/ {f = 1; next} f && /^ *- / {sub(/^ *- /, ""); gsub(/^"|"$/, ""); print; next} f {exit}' "$KC")
[[ ${exec_args[0]} == get-token ]] || fail "exec args: ${exec_args[*]}"
KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH aks_token "${exec_args[@]}" >"$WORK/cred" 2>"$WORK/cred.err" </dev/null ||
    fail "exec entry after login --context: $(cat "$WORK/cred.err")"
jq -e '.status.token | length > 20' "$WORK/cred" >/dev/null || fail "no ExecCredential"
KUBECONFIG=$KC aks_token token --context myaks >"$WORK/token" 2>/dev/null </dev/null || fail "token --context"
# Compared by digest: a failure message must not carry the token.
assert_eq "$(jq -r .status.token "$WORK/cred" | sha256sum)" "$(sha256sum <"$WORK/token")" "token --context is the exec entry's token"
KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH KUBECONFIG=$KC aks_token get-token --context myaks >"$WORK/cred2" 2>/dev/null </dev/null ||
    fail "get-token --context"
assert_eq "$(jq -r .status.token "$WORK/cred" | sha256sum)" "$(jq -r .status.token "$WORK/cred2" | sha256sum)" "get-token --context token"
assert_eq "$before" "$(entra_requests)" "identity-provider requests after login --context"

# status --context shows that identity; --context cannot be mixed with login flags.
KUBECONFIG=$KC aks_token status --context myaks >"$WORK/status" || fail "status --context"
grep -q "dana@contoso.example" "$WORK/status" || fail "status --context: $(cat "$WORK/status")"
assert_no_token_in "$WORK/status" "$WORK/login.err" "$WORK/convert.err"
rc=0
KUBECONFIG=$KC aks_token token --context myaks --tenant-id x >/dev/null 2>"$WORK/mix.err" || rc=$?
assert_eq 2 "$rc" "--context with login flags"

# Unknown context / non-AKS user: one line, exit 2.
rc=0
KUBECONFIG=$KC aks_token login --context nope 2>"$WORK/nope.err" </dev/null || rc=$?
assert_eq 2 "$rc" "unknown context exit code"
assert_eq 1 "$(wc -l <"$WORK/nope.err")" "unknown context error lines"
grep -q "context 'nope'" "$WORK/nope.err" || fail "unknown context: $(cat "$WORK/nope.err")"

# logout --context removes exactly that entry and says so.
aks_token login --login devicecode --tenant-id "$TENANT" --server-id "$SERVER_ID" \
    --authority-host "$ENTRA_URL" --cache-dir "$CACHE_DIR" --login-hint other@contoso.example 2>/dev/null </dev/null ||
    fail "second identity login"
assert_eq 2 "$(ls "$CACHE_DIR"/*.json | wc -l)" "entries before logout"
KUBECONFIG=$KC aks_token logout --context myaks >"$WORK/logout" || fail "logout --context"
grep -q "Removed cached token for dana@contoso.example" "$WORK/logout" || fail "logout: $(cat "$WORK/logout")"
assert_eq 1 "$(ls "$CACHE_DIR"/*.json | wc -l)" "entries after logout --context"
rc=0
KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH aks_token "${exec_args[@]}" >/dev/null 2>&1 </dev/null || rc=$?
assert_eq 3 "$rc" "exec entry after logout --context needs a login"
pass "convert-kubeconfig, login/token/status/logout --context share the exec entry's cache key"
