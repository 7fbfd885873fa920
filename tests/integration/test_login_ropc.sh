#!/usr/bin/env bash
# --login ropc (deprecated): username/password from flags or kubelogin's
# environment variables, never asks, refresh token kept; wrong password and
# missing password.
source "$(dirname "$0")/lib.sh"
start_entra
use_test_ca
entra_control config '{"upn":"robot@contoso.example","password":"correct horse"}' >/dev/null
BASE=(--login ropc -t "$TENANT" --server-id "$SERVER_ID" --authority-host "$ENTRA_URL" --cache-dir "$CACHE_DIR")
get() { KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH aks_token get-token "${BASE[@]}" "$@"; }

get -v 9 --username robot@contoso.example --password "correct horse" >"$WORK/out" 2>"$WORK/err" </dev/null ||
    fail "ropc: $(cat "$WORK/err")"
jwt_payload "$(jq -r .status.token "$WORK/out")" | jq -e '.upn == "robot@contoso.example"' >/dev/null || fail "ropc identity"
assert_eq 1 "$(entra_counter .token.password)" "password grants"
jq -e '.refresh_token | length > 0' "$(cache_file)" >/dev/null || fail "ropc keeps the refresh token"
grep -q "correct horse" "$(cache_file)" "$WORK/err" && fail "the password must not be stored or printed (-v)"
assert_no_token_in "$WORK/err"
pass "ropc with flags"

for vars in "AAD_USER_PRINCIPAL_NAME AAD_USER_PRINCIPAL_PASSWORD" "AZURE_USERNAME AZURE_PASSWORD"; do
    read -r u p <<<"$vars"
    rm -rf "$CACHE_DIR"
    env "$u=robot@contoso.example" "$p=correct horse" KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH \
        "$AKS_BIN_DIR/aks-token" get-token "${BASE[@]}" >/dev/null 2>"$WORK/err" </dev/null || fail "ropc from $vars: $(cat "$WORK/err")"
done
pass "ropc from AAD_USER_PRINCIPAL_* and AZURE_USERNAME/PASSWORD"

rm -rf "$CACHE_DIR"
expect_one_line_error "50126.*wrong username or password" get --username robot@contoso.example --password "wrong pw"
grep -q "wrong pw" "$WORK/xerr.err" && fail "the password must not be echoed"
expect_one_line_error "--password is required" get --username robot@contoso.example
expect_one_line_error "--username is required" get
[[ ! -e $CACHE_DIR ]] || ! ls "$CACHE_DIR"/*.json >/dev/null 2>&1 || fail "failures must not write a cache entry"
"$AKS_BIN_DIR/aks-token" get-token --help | grep -i ropc | grep -qi deprecated || fail "--help must mark ropc deprecated"
pass "ropc failures and bad input"
