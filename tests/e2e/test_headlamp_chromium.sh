#!/usr/bin/env bash
# Headlamp through aks-proxy in Debian's Chromium (headless, playwright-core;
# tests/e2e/headlamp_browser.js): aks-proxy --upstream starts the "browser"
# with the launch URL (BROWSER), the page lists pods from fake-apiserver
# through fake-headlamp and gets a pushed watch event over its WebSocket; the
# 60-second token rotates under the open page, which keeps working with no
# reload; a stale headlamp-auth-main cookie in the browser is ignored; a page
# from another origin cannot fetch or open a WebSocket through the proxy.
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/../integration/proxy_lib.sh"
[[ -x /usr/bin/chromium ]] || fail "Chromium is not installed (scripts/setup.sh installs it)"
command -v node >/dev/null || fail "node is not installed"
[[ -d $AKS_SOURCE_DIR/tests/e2e/node_modules/playwright-core ]] || fail "npm packages missing in tests/e2e"
proxy_setup
# 60-second tokens: the proxy refreshes them 30 s before expiry, under the open page.
entra_control config '{"lifetime":60}' >/dev/null
proxy_login || fail "login failed"
first_token=$(aks_token get-token "${LOGIN_FLAGS[@]}" </dev/null | jq -r .status.token)
start_fake_headlamp

# The "browser" aks-proxy opens records the URL it was given.
mkdir -p "$WORK/bin"
printf '#!/usr/bin/env bash\nprintf "%%s\\n" "$1" >>"%s"\n' "$WORK/opened" >"$WORK/bin/record-browser"
chmod +x "$WORK/bin/record-browser"
BROWSER=$WORK/bin/record-browser start_proxy --upstream "$HEADLAMP_URL"
LAUNCH=$(launch_url)
wait_until "the browser to be started" test -s "$WORK/opened"
[[ $(cat "$WORK/opened") == file://* ]] || fail "URL given to BROWSER: $(cat "$WORK/opened")"
pass "aks-proxy opened its launch file with BROWSER"

mkdir -p "$WORK/home"
HOME=$WORK/home LAUNCH_URL=$LAUNCH PROXY_URL=$PROXY_URL HEADLAMP_URL=$HEADLAMP_URL APISERVER_URL=$APISERVER_URL \
    CA_FILE=$PKI/ca.pem ROTATE_WITHIN_S=90 \
    node "$AKS_SOURCE_DIR/tests/e2e/headlamp_browser.js" >"$WORK/result.json" 2>"$WORK/browser.log" ||
    fail "Chromium run: $(cat "$WORK/result.json" "$WORK/browser.log")"
r() { jq -r "$1" "$WORK/result.json"; }
assert_eq true "$(r .ok)" "browser run"
assert_eq 401 "$(r .withoutLaunch)" "page before the launch URL"
assert_eq "$PROXY_URL/" "$(r .landedOn)" "launch redirect"
[[ $(r '.pods | length') -ge 1 ]] || fail "no pods listed: $(cat "$WORK/result.json")"
pass "launch URL → pod list from fake-apiserver"

assert_eq "$(fake_fingerprint "$first_token")" "$(r .first.fingerprint)" "credential before rotation"
[[ $(r .first.fingerprint) != "$(fake_fingerprint stale-token)" ]] || fail "the stale cookie was used"
pass "the stale headlamp-auth-main cookie in the browser is ignored"

assert_eq true "$(r .firstEvent)" "watch event over the WebSocket"
pass "watch event pushed at fake-apiserver reached the page over the WebSocket"

[[ $(r '.second.fingerprint // empty') != "" ]] || fail "the token did not rotate: $(cat "$WORK/result.json")"
assert_eq '["list 200"]' "$(jq -c .listsDuringRotation "$WORK/result.json")" "pod lists during the rotation"
assert_eq "list 200" "$(r .statusAfterRotation)" "pod list after rotation"
assert_eq true "$(r .secondEvent)" "watch event after rotation"
assert_eq true "$(r .notReloaded)" "page not reloaded"
assert_eq open "$(r .watchState)" "WebSocket still open"
pass "token rotated under the open page: lists and the watch keep working, no reload"

assert_eq failed "$(r .evilFetch)" "cross-origin fetch"
assert_eq failed "$(r .evilWs)" "cross-origin WebSocket"
[[ $(grep -c 'origin refused' "$WORK/proxy.log") -ge 2 ]] || fail "the proxy did not refuse both: $(grep -c 'origin refused' "$WORK/proxy.log")"
pass "a page from another origin can neither fetch nor open a WebSocket"

assert_no_token_in "$WORK/proxy.log" "$WORK/result.json" "$WORK/browser.log"
pass "no token in the output"
