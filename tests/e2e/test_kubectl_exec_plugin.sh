#!/usr/bin/env bash
# The preinstalled kubectl runs aks-token as its exec plugin (v1,
# interactiveMode IfAvailable) against fake-apiserver, which verifies the
# token's RS256 signature against fake-entra's JWKS, its issuer and audience.
source "$(dirname "$0")/../integration/lib.sh"
command -v kubectl >/dev/null || fail "kubectl is not installed"
start_entra
start_apiserver
use_test_ca
set_login_flags
export KUBECONFIG=$WORK/kubeconfig
write_kubeconfig "$KUBECONFIG"
sed -i 's#client.authentication.k8s.io/v1beta1#client.authentication.k8s.io/v1#' "$KUBECONFIG"

# Nobody signed in and no terminal: kubectl fails fast with our guidance.
rc=0
timeout 20 kubectl get pods >"$WORK/out" 2>"$WORK/err" </dev/null || rc=$?
[[ $rc -ne 0 && $rc -ne 124 ]] || fail "kubectl should fail fast without a login (rc=$rc)"
grep -q "aks-token login" "$WORK/err" || fail "kubectl should relay aks-token's guidance: $(cat "$WORK/err")"

entra_control config '{"auto_approve_after":0,"interval":0,"upn":"carol@contoso.example","groups":["aks-admins"]}' >/dev/null
aks_token login "${LOGIN_FLAGS[@]}" 2>/dev/null </dev/null || fail "login failed"
issued=$(entra_counter .token_issued)

kubectl get pods >"$WORK/pods" 2>"$WORK/err" </dev/null || fail "kubectl get pods: $(cat "$WORK/err")"
grep -q Running "$WORK/pods" || fail "pod list: $(cat "$WORK/pods")"
kubectl auth whoami -o json >"$WORK/whoami" 2>"$WORK/err" </dev/null || fail "kubectl auth whoami: $(cat "$WORK/err")"
jq -e '.status.userInfo.username == "carol@contoso.example"' "$WORK/whoami" >/dev/null ||
    fail "API server saw another identity: $(cat "$WORK/whoami")"
kubectl version -o json >/dev/null 2>&1 </dev/null || fail "kubectl version"
assert_eq "$issued" "$(entra_counter .token_issued)" "tokens issued during kubectl runs"

# A token for another audience is rejected by the API server with a Status 401.
other=$(KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH aks_token get-token "${LOGIN_FLAGS[@]}" --server-id 11111111-2222-3333-4444-555555555555 2>/dev/null </dev/null || true)
[[ -z $other ]] || fail "a token for another server id must need a new login"
code=$(curl -sS -o "$WORK/status" -w '%{http_code}' --cacert "$PKI/ca.pem" -H "Authorization: Bearer not-a-jwt" "$APISERVER_URL/api/v1/namespaces/default/pods")
assert_eq 401 "$code" "bogus token"
jq -e '.kind == "Status" and .code == 401' "$WORK/status" >/dev/null || fail "401 must be a Status"
pass "kubectl through aks-token against a verifying API server"
