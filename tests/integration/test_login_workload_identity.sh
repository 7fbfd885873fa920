#!/usr/bin/env bash
# --login workloadidentity as the AKS webhook sets it up (AZURE_CLIENT_ID,
# AZURE_TENANT_ID, AZURE_AUTHORITY_HOST, AZURE_FEDERATED_TOKEN_FILE): the file
# is re-read on every token request; GitHub Actions' OIDC token when
# ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN are set; typical failures; bad input.
source "$(dirname "$0")/lib.sh"
start_entra
start_imds
use_test_ca
APP=3c4d5e6f-1a2b-4c3d-8e9f-0a1b2c3d4e5f
SA_SUB=system:serviceaccount:default:workload
now=$(date +%s)
sa_token() {  # subject [exp-offset]
    make_jwt "{\"iss\":\"https://oidc.prod-aks.azure.com/abc/\",\"sub\":\"$1\",\"aud\":[\"api://AzureADTokenExchange\"],\"iat\":$now,\"exp\":$((now + ${2:-3600}))}"
}
entra_control config "{\"federated_subject\":\"$SA_SUB\"}" >/dev/null
export AZURE_CLIENT_ID=$APP AZURE_TENANT_ID=$TENANT AZURE_AUTHORITY_HOST=$ENTRA_URL
export AZURE_FEDERATED_TOKEN_FILE=$WORK/sa-token
wi() { KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH aks_token get-token --login workloadidentity --server-id "$SERVER_ID" --cache-dir "$CACHE_DIR" "$@"; }

sa_token "$SA_SUB" >"$AZURE_FEDERATED_TOKEN_FILE"
wi -v 9 >"$WORK/out" 2>"$WORK/err" </dev/null || fail "workload identity: $(cat "$WORK/err")"
token=$(jq -r .status.token "$WORK/out")
jwt_payload "$token" | jq -e --arg a "$APP" '.appid == $a and .aud == "6dae42f8-4368-4678-94ff-3960e28e3630"' >/dev/null ||
    fail "token claims: $(jwt_payload "$token")"
assert_eq 1 "$(entra_counter .token.client_credentials)" "token requests"
wi >/dev/null 2>&1 </dev/null || fail "cache hit"
assert_eq 1 "$(entra_counter .token.client_credentials)" "token requests after a cache hit"
assert_no_token_in "$WORK/err"
pass "workload identity with the webhook's environment"

# The file rotates: the next token request reads the new content.
rm -rf "$CACHE_DIR"
sa_token system:serviceaccount:other:intruder >"$AZURE_FEDERATED_TOKEN_FILE"
expect_one_line_error "700213.*federated credential does not match" wi
sa_token "$SA_SUB" >"$AZURE_FEDERATED_TOKEN_FILE"
wi >/dev/null 2>"$WORK/err" </dev/null || fail "after rotation: $(cat "$WORK/err")"
pass "federated token file re-read on every request; wrong subject refused with advice"

# An expired projected token: Entra's time-range error.
rm -rf "$CACHE_DIR"
sa_token "$SA_SUB" -60 >"$AZURE_FEDERATED_TOKEN_FILE"
expect_one_line_error "700024" wi
pass "expired federated token refused"

# The webhook's variables beat --client-id and --federated-token-file, as in
# kubelogin (options.go UpdateFromEnv runs after the flags): an entry that an
# older conversion left with the AKS client id still signs in as the pod.
rm -rf "$CACHE_DIR"
sa_token "$SA_SUB" >"$AZURE_FEDERATED_TOKEN_FILE"
sa_token "$SA_SUB" >"$WORK/flag-token"
wi --client-id 80faf920-1908-4b52-b5ef-a8e7bedfc67a --federated-token-file "$WORK/nope" >"$WORK/out" 2>"$WORK/err" </dev/null ||
    fail "environment over flags: $(cat "$WORK/err")"
jwt_payload "$(jq -r .status.token "$WORK/out")" | jq -e --arg a "$APP" '.appid == $a' >/dev/null || fail "client id from the environment"
# Without the variables the flags are used.
rm -rf "$CACHE_DIR"
env -u AZURE_CLIENT_ID -u AZURE_FEDERATED_TOKEN_FILE KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH "$AKS_BIN_DIR/aks-token" get-token \
    --login workloadidentity --server-id "$SERVER_ID" --cache-dir "$CACHE_DIR" --client-id "$APP" \
    --federated-token-file "$WORK/flag-token" >"$WORK/out" 2>"$WORK/err" </dev/null || fail "flags: $(cat "$WORK/err")"
jwt_payload "$(jq -r .status.token "$WORK/out")" | jq -e --arg a "$APP" '.appid == $a' >/dev/null || fail "flag client id"
pass "the webhook's variables over flags (kubelogin's precedence); flags without them"

# GitHub Actions: no file, the OIDC token endpoint instead.
rm -rf "$CACHE_DIR"
entra_control config '{"federated_subject":"repo:contoso/app:ref:refs/heads/main"}' >/dev/null
env -u AZURE_FEDERATED_TOKEN_FILE ACTIONS_ID_TOKEN_REQUEST_URL="$IMDS_URL/github/token?api-version=2.0" \
    ACTIONS_ID_TOKEN_REQUEST_TOKEN=github-request-token \
    KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH "$AKS_BIN_DIR/aks-token" get-token --login workloadidentity \
    --server-id "$SERVER_ID" --cache-dir "$CACHE_DIR" >"$WORK/out" 2>"$WORK/err" </dev/null ||
    fail "GitHub Actions: $(cat "$WORK/err")"
assert_eq 1 "$(imds_control counters | jq .github)" "GitHub OIDC token requests"
rm -rf "$CACHE_DIR"
expect_one_line_error "id-token: write" env -u AZURE_FEDERATED_TOKEN_FILE \
    ACTIONS_ID_TOKEN_REQUEST_URL="$IMDS_URL/github/token" ACTIONS_ID_TOKEN_REQUEST_TOKEN=wrong \
    KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH "$AKS_BIN_DIR/aks-token" get-token --login workloadidentity \
    --server-id "$SERVER_ID" --cache-dir "$CACHE_DIR"
pass "GitHub Actions OIDC token exchanged"

# Bad input.
rm -rf "$CACHE_DIR"
: >"$AZURE_FEDERATED_TOKEN_FILE"
expect_one_line_error "federated token file .* is empty" wi
expect_one_line_error "cannot read the federated token file" env -u AZURE_FEDERATED_TOKEN_FILE \
    KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH "$AKS_BIN_DIR/aks-token" get-token --login workloadidentity \
    --server-id "$SERVER_ID" --cache-dir "$CACHE_DIR" --federated-token-file "$WORK/nope"
expect_one_line_error "needs --federated-token-file" env -u AZURE_FEDERATED_TOKEN_FILE "$AKS_BIN_DIR/aks-token" \
    get-token --login workloadidentity --server-id "$SERVER_ID" --cache-dir "$CACHE_DIR"
expect_one_line_error "client-id is required" env -u AZURE_CLIENT_ID "$AKS_BIN_DIR/aks-token" \
    get-token --login workloadidentity --cache-dir "$CACHE_DIR"
[[ ! -e $CACHE_DIR ]] || fail "bad input must not create the cache"
pass "workload identity bad input"
