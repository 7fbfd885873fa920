#!/usr/bin/env bash
# Against an identity provider nobody here wrote: npm's oidc-provider on
# loopback HTTPS. Through --oidc-issuer-url (endpoints from its discovery
# document, cached), browser + PKCE in Chromium, refresh, and device code all
# succeed, and the preinstalled kubectl uses the token against a second
# fake-apiserver that trusts this issuer (RS256 JWT access tokens, its JWKS).
source "$(dirname "$0")/../integration/lib.sh"
command -v node >/dev/null || fail "node is not installed"
command -v kubectl >/dev/null || fail "kubectl is not installed"
[[ -x /usr/bin/chromium ]] || fail "Chromium is not installed (scripts/setup.sh installs it)"
make_pki
use_test_ca
CLIENT=kubectl-oidc-test
AUDIENCE=aks-auth-oidc-test

node "$AKS_SOURCE_DIR/tests/e2e/oidc_server.mjs" --cert "$PKI/server.pem" --key "$PKI/server-key.pem" \
    --port-file "$WORK/oidc.port" --client-id "$CLIENT" --audience "$AUDIENCE" >"$WORK/oidc-provider.log" 2>&1 &
_pids+=($!)
ISSUER=https://127.0.0.1:$(_wait_port_file "$WORK/oidc.port" $! oidc-provider)

# A second fake-apiserver, configured for this issuer only.
"$AKS_BIN_DIR/fake-apiserver" --cert "$PKI/server.pem" --key "$PKI/server-key.pem" --ca "$PKI/ca.pem" \
    --jwks-url "$ISSUER/jwks" --issuer "$ISSUER" --audience "$AUDIENCE" \
    --port 0 --port-file "$WORK/oidc-apiserver.port" >"$WORK/fake-apiserver-oidc.log" 2>&1 &
_pids+=($!)
APISERVER_URL=https://127.0.0.1:$(_wait_port_file "$WORK/oidc-apiserver.port" $! fake-apiserver)

mkdir -p "$WORK/bin" "$WORK/home"
cat >"$WORK/bin/chromium-browser" <<SH
#!/usr/bin/env bash
export BROWSER_LOGIN_RESULT="$WORK/browser-result.json" HOME="$WORK/home" OIDC_LOGIN=alice
exec node "$AKS_SOURCE_DIR/tests/e2e/browser_login.js" "\$1" >>"$WORK/browser.log" 2>&1
SH
chmod +x "$WORK/bin/chromium-browser"
export BROWSER=$WORK/bin/chromium-browser
LOGIN_FLAGS=(--login interactive --oidc-issuer-url "$ISSUER" --client-id "$CLIENT" --oidc-extra-scope kube
             --cache-dir "$CACHE_DIR" --timeout 120s)

# Browser + PKCE, no terminal.
KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH aks_token get-token "${LOGIN_FLAGS[@]}" >"$WORK/out" 2>"$WORK/err" </dev/null ||
    fail "interactive via oidc-provider: $(cat "$WORK/err" "$WORK/browser.log" "$WORK/browser-result.json" 2>/dev/null)"
token=$(jq -r .status.token "$WORK/out")
jwt_payload "$token" | jq -e --arg i "$ISSUER" --arg a "$AUDIENCE" '.iss == $i and .aud == $a and .sub == "alice"' >/dev/null ||
    fail "access token claims: $(jwt_payload "$token")"
jq -e '.refresh_token | length > 0' "$(cache_file)" >/dev/null || fail "no refresh token stored"
ls "$CACHE_DIR"/*.oidc-discovery >/dev/null 2>&1 || fail "discovery document not cached"
assert_no_token_in "$WORK/err"
pass "browser + PKCE against oidc-provider through --oidc-issuer-url"

export KUBECONFIG=$WORK/kubeconfig
write_kubeconfig "$KUBECONFIG"
kubectl auth whoami -o json >"$WORK/whoami" 2>"$WORK/kerr" </dev/null || fail "kubectl: $(cat "$WORK/kerr")"
jq -e '.status.userInfo.username == "alice"' "$WORK/whoami" >/dev/null || fail "identity: $(cat "$WORK/whoami")"
kubectl get pods >/dev/null 2>"$WORK/kerr" </dev/null || fail "kubectl get pods: $(cat "$WORK/kerr")"
pass "kubectl with the oidc-provider token against fake-apiserver trusting that issuer"

# Refresh: the cached token is about to expire; the refresh token renews it.
entry=$(cache_file)
now=$(date +%s)
jq --argjson e $((now + 120)) --argjson o $((now - 3480)) '.expires_on = $e | .obtained_at = $o' "$entry" >"$entry.new"
chmod 600 "$entry.new" && mv "$entry.new" "$entry"
KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH BROWSER=false aks_token get-token "${LOGIN_FLAGS[@]}" >"$WORK/out2" 2>"$WORK/err" </dev/null ||
    fail "refresh via oidc-provider: $(cat "$WORK/err")"
token2=$(jq -r .status.token "$WORK/out2")
[[ $token2 != "$token" ]] || fail "the refresh should have produced a new token: $(cat "$WORK/err")"
jwt_payload "$token2" | jq -e --arg a "$AUDIENCE" '.aud == $a and .sub == "alice"' >/dev/null || fail "refreshed token claims"
kubectl auth whoami -o json </dev/null 2>"$WORK/kerr" | jq -e '.status.userInfo.username == "alice"' >/dev/null ||
    fail "kubectl after refresh: $(cat "$WORK/kerr")"
pass "refresh against oidc-provider"

# Device code: the prompt goes to stderr; Chromium enters the code, signs in, consents.
rm -rf "$CACHE_DIR"
DEVICE_FLAGS=(--login devicecode --oidc-issuer-url "$ISSUER" --client-id "$CLIENT" --oidc-extra-scope kube
              --cache-dir "$CACHE_DIR" --timeout 120s)
KUBERNETES_EXEC_INFO=$EXEC_INFO_INTERACTIVE "$AKS_BIN_DIR/aks-token" get-token "${DEVICE_FLAGS[@]}" \
    >"$WORK/out3" 2>"$WORK/err3" </dev/null &
pid=$!
line=$(wait_for_match "$WORK/err3" '.*enter the code.*' "$pid")
[[ -n $line ]] || fail "no device code prompt: $(cat "$WORK/err3")"
uri=$(grep -Eo 'https://[^ ]+' <<<"$line" | head -n1)
code=$(awk '{print $NF}' <<<"$line")
rm -f "$WORK/browser-result.json"
USER_CODE=$code BROWSER_LOGIN_RESULT=$WORK/browser-result.json HOME=$WORK/home OIDC_LOGIN=alice \
    node "$AKS_SOURCE_DIR/tests/e2e/browser_login.js" "$uri" >>"$WORK/browser.log" 2>&1 ||
    fail "Chromium could not confirm the device code: $(cat "$WORK/browser-result.json" "$WORK/browser.log")"
wait "$pid" || fail "device code via oidc-provider: $(cat "$WORK/err3")"
jwt_payload "$(jq -r .status.token "$WORK/out3")" | jq -e --arg a "$AUDIENCE" '.aud == $a and .sub == "alice"' >/dev/null ||
    fail "device code token claims"
kubectl auth whoami -o json </dev/null 2>"$WORK/kerr" | jq -e '.status.userInfo.username == "alice"' >/dev/null ||
    fail "kubectl after device code: $(cat "$WORK/kerr")"
pass "device code against oidc-provider"

# Bad input: wrong issuer, missing client id.
expect_one_line_error "names another issuer|discovery document" env KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH \
    "$AKS_BIN_DIR/aks-token" get-token --login interactive --oidc-issuer-url "$ISSUER/other" --client-id "$CLIENT" --cache-dir "$WORK/c2"
expect_one_line_error "client-id is required with --oidc-issuer-url" "$AKS_BIN_DIR/aks-token" get-token --oidc-issuer-url "$ISSUER"
pass "oidc bad input"
