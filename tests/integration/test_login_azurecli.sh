#!/usr/bin/env bash
# --login azurecli / azd with fake `az` and `azd` on PATH: the exact commands
# run, expires_on used, no refresh token stored, the tool's own error shown
# with advice, a hanging tool cut off by --timeout, a missing tool.
source "$(dirname "$0")/lib.sh"
mkdir -p "$WORK/bin"
cp "$AKS_SOURCE_DIR/tests/fakes/fake-cli/az" "$AKS_SOURCE_DIR/tests/fakes/fake-cli/azd" "$WORK/bin/"
export PATH=$WORK/bin:$PATH FAKE_AZ_LOG=$WORK/az.log FAKE_AZD_LOG=$WORK/azd.log
get() { KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH aks_token get-token --server-id "$SERVER_ID" --cache-dir "$CACHE_DIR" "$@"; }

get -v 9 --login azurecli >"$WORK/out" 2>"$WORK/err" </dev/null || fail "azurecli: $(cat "$WORK/err")"
assert_eq "account get-access-token --resource $SERVER_ID -o json" "$(cat "$WORK/az.log")" "az arguments"
token=$(jq -r .status.token "$WORK/out")
jwt_payload "$token" | jq -e '.upn == "cli-user@contoso.example"' >/dev/null || fail "az token"
exp=$(jwt_payload "$token" | jq .exp)
jq -e --argjson e "$exp" '.expires_on == $e and (.refresh_token // "") == ""' "$(cache_file)" >/dev/null ||
    fail "cache entry: expiry from expires_on, no refresh token: $(jq 'del(.access_token)' "$(cache_file)")"
get --login azurecli >/dev/null 2>&1 </dev/null || fail "cache hit"
assert_eq 1 "$(wc -l <"$WORK/az.log")" "az runs after a cache hit"
assert_no_token_in "$WORK/err"
rm -rf "$CACHE_DIR"
get --login azurecli -t "$TENANT" >/dev/null 2>"$WORK/err" </dev/null || fail "azurecli with tenant: $(cat "$WORK/err")"
tail -n1 "$WORK/az.log" | grep -q -- "--tenant $TENANT" || fail "az --tenant: $(tail -n1 "$WORK/az.log")"
# --subscription goes to az instead of --tenant (az refuses both) and names another cache entry.
get --login azurecli -t "$TENANT" --subscription 1b2c3d4e-0000-4000-8000-00000000c0de >/dev/null 2>"$WORK/err" </dev/null ||
    fail "azurecli with subscription: $(cat "$WORK/err")"
assert_eq "account get-access-token --resource $SERVER_ID -o json --subscription 1b2c3d4e-0000-4000-8000-00000000c0de" \
    "$(tail -n1 "$WORK/az.log")" "az arguments with --subscription"
assert_eq 2 "$(ls "$CACHE_DIR"/*.json | wc -l)" "cache entries for two subscriptions"
pass "azurecli runs az account get-access-token and caches its token"

rm -rf "$CACHE_DIR"
expect_one_line_error "Please run 'az login'.*Advice: run 'az login'" env FAKE_AZ_MODE=notloggedin \
    KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH "$AKS_BIN_DIR/aks-token" get-token --login azurecli --cache-dir "$CACHE_DIR"
expect_one_line_error "did not finish within 1s" env FAKE_AZ_MODE=hang \
    KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH "$AKS_BIN_DIR/aks-token" get-token --login azurecli --timeout 1s --cache-dir "$CACHE_DIR"
# az's error text is shown, but never a token in it (expect_one_line_error checks).
expect_one_line_error "ERROR: token \[redacted\] rejected" env FAKE_AZ_MODE=leaky \
    KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH "$AKS_BIN_DIR/aks-token" get-token --login azurecli --cache-dir "$CACHE_DIR"
expect_one_line_error "not a JSON token" env FAKE_AZ_MODE=garbage \
    KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH "$AKS_BIN_DIR/aks-token" get-token --login azurecli --cache-dir "$CACHE_DIR"
expect_one_line_error "az \(the Azure CLI\) was not found" env PATH=/usr/bin:/bin \
    "$AKS_BIN_DIR/aks-token" get-token --login azurecli --cache-dir "$CACHE_DIR"
pass "azurecli failures: az's own error with advice, timeout, bad output, not installed"

rm -rf "$CACHE_DIR"
get --login azd -t "$TENANT" >"$WORK/out" 2>"$WORK/err" </dev/null || fail "azd: $(cat "$WORK/err")"
assert_eq "auth token --output json --scope $SERVER_ID/.default --tenant-id $TENANT" "$(cat "$WORK/azd.log")" "azd arguments"
token=$(jq -r .status.token "$WORK/out")
jwt_payload "$token" | jq -e '.upn == "azd-user@contoso.example"' >/dev/null || fail "azd token"
jq -e --argjson e "$(jwt_payload "$token" | jq .exp)" '.expires_on == $e' "$(cache_file)" >/dev/null || fail "azd expiry from expiresOn"
rm -rf "$CACHE_DIR"
expect_one_line_error "not logged in.*azd auth login" env FAKE_AZD_MODE=notloggedin \
    KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH "$AKS_BIN_DIR/aks-token" get-token --login azd --cache-dir "$CACHE_DIR"
pass "azd runs azd auth token; its error shown with advice"
