#!/usr/bin/env bash
# --login msi against fake-imds: IMDS (Metadata: true, resource without
# /.default, string numbers, user-assigned identities), never through a
# proxy, retries of 404/410/5xx; App Service and Cloud Shell endpoints;
# typical failure (identity not found) and no endpoint at all.
source "$(dirname "$0")/lib.sh"
start_imds
export AZURE_POD_IDENTITY_AUTHORITY_HOST=$IMDS_URL
# A proxy that does not exist: IMDS must not be reached through it.
export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9
msi() { KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH aks_token get-token --login msi --cache-dir "$CACHE_DIR" "$@"; }

# The fake's own rule: no Metadata header, 400.
code=$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' "$IMDS_URL/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x")
assert_eq 400 "$code" "IMDS without Metadata: true"

base=$(imds_control counters | jq .imds)
msi >"$WORK/out" 2>"$WORK/err" </dev/null || fail "msi: $(cat "$WORK/err")"
token=$(jq -r .status.token "$WORK/out")
jwt_payload "$token" | jq -e '.aud == "6dae42f8-4368-4678-94ff-3960e28e3630" and .appid == "5a1b2c3d-0000-4000-8000-000000000001"' >/dev/null ||
    fail "system-assigned token claims: $(jwt_payload "$token")"
jq -e '.status.expirationTimestamp | length > 0' "$WORK/out" >/dev/null || fail "expiry from string numbers"
assert_eq $((base + 1)) "$(imds_control counters | jq .imds)" "IMDS requests"
assert_eq 0 "$(imds_control counters | jq .proxied)" "requests through a proxy"
msi >/dev/null 2>&1 </dev/null || fail "cache hit"
assert_eq $((base + 1)) "$(imds_control counters | jq .imds)" "IMDS requests after a cache hit"
assert_no_token_in "$WORK/err"
pass "msi (system-assigned) via IMDS, bypassing HTTPS_PROXY, cached"

msi --client-id 5a1b2c3d-0000-4000-8000-000000000002 >"$WORK/out" 2>"$WORK/err" </dev/null || fail "user-assigned: $(cat "$WORK/err")"
jwt_payload "$(jq -r .status.token "$WORK/out")" | jq -e '.appid == "5a1b2c3d-0000-4000-8000-000000000002"' >/dev/null ||
    fail "user-assigned by client id"
msi --identity-resource-id /subscriptions/0000/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id2 \
    >"$WORK/out" 2>"$WORK/err" </dev/null || fail "by resource id: $(cat "$WORK/err")"
jwt_payload "$(jq -r .status.token "$WORK/out")" | jq -e '.appid == "5a1b2c3d-0000-4000-8000-000000000002"' >/dev/null ||
    fail "user-assigned by resource id"
msi --identity-object-id 9e8d7c6b-0000-4000-8000-000000000002 >"$WORK/out" 2>"$WORK/err" </dev/null ||
    fail "by object id: $(cat "$WORK/err")"
jwt_payload "$(jq -r .status.token "$WORK/out")" | jq -e '.appid == "5a1b2c3d-0000-4000-8000-000000000002"' >/dev/null ||
    fail "user-assigned by object id"
pass "user-assigned identities by --client-id, --identity-resource-id and --identity-object-id (separate cache entries)"

# IMDS says 404 while an identity is being assigned, then 503: retried.
rm -rf "$CACHE_DIR"
before=$(imds_control counters | jq .imds)
imds_control fail '{"status":404,"count":2}' >/dev/null
msi >/dev/null 2>"$WORK/err" </dev/null || fail "retry of 404: $(cat "$WORK/err")"
assert_eq $((before + 3)) "$(imds_control counters | jq .imds)" "IMDS requests with two 404s"
rm -rf "$CACHE_DIR"
imds_control fail '{"status":410,"count":1}' >/dev/null
msi >/dev/null 2>"$WORK/err" </dev/null || fail "retry of 410: $(cat "$WORK/err")"
pass "404/410 retried with backoff"

# Typical failure: no such identity, with the advice line.
rm -rf "$CACHE_DIR"
expect_one_line_error "Identity not found.*Advice: assign" msi --client-id 00000000-0000-4000-8000-00000000dead

# App Service / Functions.
rm -rf "$CACHE_DIR"
IDENTITY_ENDPOINT=$IMDS_URL/msi/token IDENTITY_HEADER=app-service-secret msi >"$WORK/out" 2>"$WORK/err" </dev/null ||
    fail "App Service: $(cat "$WORK/err")"
assert_eq 1 "$(imds_control counters | jq .app_service)" "App Service requests"
rm -rf "$CACHE_DIR"
expect_one_line_error "managed identity sign-in failed" env IDENTITY_ENDPOINT=$IMDS_URL/msi/token IDENTITY_HEADER=wrong \
    KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH "$AKS_BIN_DIR/aks-token" get-token --login msi --cache-dir "$CACHE_DIR"
pass "App Service endpoint with X-IDENTITY-HEADER"

# Cloud Shell.
rm -rf "$CACHE_DIR"
MSI_ENDPOINT=$IMDS_URL/cloudshell/token msi >"$WORK/out" 2>"$WORK/err" </dev/null || fail "Cloud Shell: $(cat "$WORK/err")"
assert_eq 1 "$(imds_control counters | jq .cloud_shell)" "Cloud Shell requests"
pass "Cloud Shell MSI_ENDPOINT"

# Not on Azure: nothing listens.
rm -rf "$CACHE_DIR"
expect_one_line_error "only on Azure" env AZURE_POD_IDENTITY_AUTHORITY_HOST=http://127.0.0.1:1 \
    KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH "$AKS_BIN_DIR/aks-token" get-token --login msi --cache-dir "$CACHE_DIR"
pass "msi failures are one line with advice"
