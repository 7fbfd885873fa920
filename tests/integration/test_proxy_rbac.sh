#!/usr/bin/env bash
# A 403 from the API server's RBAC reaches kubectl through aks-proxy as the
# API server worded it, and `auth can-i` says no.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
proxy_setup --allow-user bob@contoso.example
proxy_login || fail "login failed"
start_proxy

if kubectl_via_proxy get pods >"$WORK/get.out" 2>&1; then fail "get pods should be forbidden"; fi
grep -q 'Error from server (Forbidden): pods is forbidden: User "alice@contoso.example" cannot list resource "pods"' \
    "$WORK/get.out" || fail "kubectl output: $(cat "$WORK/get.out")"
grep -q 'GET /api/v1/namespaces/default/pods 403 ' "$WORK/proxy.log" || fail "access log lacks the 403"
pass "RBAC 403 shown by kubectl"

answer=$(kubectl_via_proxy auth can-i list pods 2>/dev/null || true)
[[ $answer == "no - not in the fake's --allow-user/--allow-group lists" ]] || fail "auth can-i: $answer"
pass "auth can-i: no"
assert_no_token_in "$WORK/proxy.log" "$WORK/get.out"
