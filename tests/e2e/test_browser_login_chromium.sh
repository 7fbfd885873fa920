#!/usr/bin/env bash
# The browser flow end to end in Debian's Chromium (headless, playwright-core):
# aks-token starts the "browser" (BROWSER=browser_login.js), Chromium shows
# fake-entra's sign-in page, clicks "Sign in", is redirected to aks-token's
# loopback listener and sees the success page; kubectl then uses the token
# against fake-apiserver, which verifies it.
source "$(dirname "$0")/../integration/lib.sh"
command -v node >/dev/null || fail "node is not installed"
require_chromium
start_entra
start_apiserver
use_test_ca
entra_control config '{"signin_page":true,"upn":"dana@contoso.example"}' >/dev/null
mkdir -p "$WORK/bin"
cat >"$WORK/bin/chromium-browser" <<SH
#!/usr/bin/env bash
export BROWSER_LOGIN_RESULT="$WORK/browser-result.json" HOME="$WORK/home"
exec node "$AKS_SOURCE_DIR/tests/e2e/browser_login.js" "\$1" >>"$WORK/browser.log" 2>&1
SH
chmod +x "$WORK/bin/chromium-browser"
mkdir -p "$WORK/home"
LOGIN_FLAGS=(--login interactive --tenant-id "$TENANT" --server-id "$SERVER_ID"
             --authority-host "$ENTRA_URL" --cache-dir "$CACHE_DIR" --timeout 120s)

# As Headlamp desktop runs it: no terminal, not interactive.
BROWSER=$WORK/bin/chromium-browser KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH \
    aks_token get-token "${LOGIN_FLAGS[@]}" >"$WORK/out" 2>"$WORK/err" </dev/null ||
    fail "get-token with Chromium: $(cat "$WORK/err") $(cat "$WORK/browser.log" "$WORK/browser-result.json" 2>/dev/null)"
# The browser reports after the redirect landed; wait for its line.
for ((i = 0; i < 600; i++)); do [[ -s $WORK/browser-result.json ]] && break; sleep 0.05; done
jq -e '.ok == true and (.text | contains("You may close this tab"))' "$WORK/browser-result.json" >/dev/null ||
    fail "Chromium did not reach the success page: $(cat "$WORK/browser-result.json" "$WORK/browser.log")"
assert_eq 1 "$(entra_counter .authorize)" "sign-in pages shown"
assert_eq 1 "$(entra_counter .token.authorization_code)" "codes redeemed"
assert_no_token_in "$WORK/err" "$WORK/browser-result.json"
pass "Chromium clicked through fake-entra's sign-in page to the loopback listener"

export KUBECONFIG=$WORK/kubeconfig
write_kubeconfig "$KUBECONFIG"
kubectl auth whoami -o json >"$WORK/whoami" 2>"$WORK/kerr" </dev/null || fail "kubectl: $(cat "$WORK/kerr")"
jq -e '.status.userInfo.username == "dana@contoso.example"' "$WORK/whoami" >/dev/null || fail "identity: $(cat "$WORK/whoami")"
assert_eq 1 "$(entra_counter .token.authorization_code)" "codes redeemed after kubectl (cache hit)"
pass "kubectl uses the browser sign-in's token against a verifying API server"
