#!/usr/bin/env bash
# Security finding F3, in Debian's Chromium: web pages the user visits cannot
# make aks-proxy act as them. A page on another loopback origin
# (127.0.0.9:PORT, another site) sends the requests that carry no Origin
# header — no-cors fetch, <img>, <script> — plus a no-cors POST, a form POST
# and a top-level navigation to an API-server-mode aks-proxy; a page on
# another port of a Headlamp-mode aks-proxy's own host name (same-site, so
# the session cookie goes along; an attacker who learnt the name) does the
# same after the launch. Chromium
# marks each with Sec-Fetch-Site, aks-proxy refuses cross-site and same-site
# (403), and fake-apiserver receives none of them, while a typed URL and the
# proxy's own page (same-origin) still work. (cross_site_pages.js)
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/../integration/proxy_lib.sh"
require_chromium
proxy_setup
proxy_login || fail "login failed"
start_fake_headlamp --in-cluster-context-name main

start_proxy
API_URL=$PROXY_URL
mv "$WORK/proxy.log" "$WORK/proxy-api.log"
start_proxy --upstream "$HEADLAMP_URL" --headlamp-cluster main --no-browser
HL_URL=$PROXY_URL
HL_LAUNCH=$(launch_url)
[[ $PROXY_HOST == aks-*.localhost ]] || fail "Headlamp mode did not pick a host name of its own: $PROXY_HOST"

API_URL=$API_URL HL_URL=$HL_URL HL_LAUNCH=$HL_LAUNCH HL_CLUSTER=main \
    node "$AKS_SOURCE_DIR/tests/e2e/cross_site_pages.js" >"$WORK/result.json" 2>"$WORK/browser.log" ||
    fail "Chromium run: $(cat "$WORK/result.json" "$WORK/browser.log")"
r() { jq -c "$1" "$WORK/result.json"; }
assert_eq true "$(r .ok)" "browser run"
all='["nocorsGet","nocorsPost","img","script","form"]'
assert_eq "$all" "$(r .api.sent)" "requests the cross-site page sent"
assert_eq "$all" "$(r .hl.sent)" "requests the same-site page sent"

# What reached the API server: nothing of either attack.
if grep -E 'csrf-(api|hl)-' "$WORK/fake-apiserver.log"; then
    fail "cross-site or same-site requests reached the API server (lines above)"
fi
# Each was refused by aks-proxy (its access log: method, path, status).
for how in nocors-get nocors-post img script form navigation; do
    grep -qE " /api/v1/namespaces/csrf-api-$how/[a-z]+ 403 " "$WORK/proxy-api.log" ||
        fail "API mode: no 403 for the $how request: $(grep csrf "$WORK/proxy-api.log")"
    grep -qE " /clusters/main/api/v1/namespaces/csrf-hl-$how/[a-z]+ 403 " "$WORK/proxy.log" ||
        fail "Headlamp mode: no 403 for the $how request: $(grep csrf "$WORK/proxy.log")"
done
pass "no-cors fetch (GET, POST), <img>, <script>, form POST and navigation from another site (API mode) and from another port of the proxy's host name (Headlamp mode): 403, none reached the API server"

assert_eq 200 "$(r .apiTyped)" "API mode: a typed URL"
assert_eq 200 "$(r .apiSameOrigin)" "API mode: the proxy's own page fetching"
assert_eq 200 "$(r .hlSameOrigin)" "Headlamp mode: Headlamp's page fetching"
assert_eq 200 "$(r .hlTyped)" "Headlamp mode: a typed URL after the attack"
pass "typed URLs (Sec-Fetch-Site: none) and same-origin requests still work in both modes"

assert_no_token_in "$WORK/proxy.log" "$WORK/proxy-api.log" "$WORK/result.json" "$WORK/browser.log"
grep -qF "${HL_LAUNCH##*secret=}" "$WORK/result.json" "$WORK/browser.log" && fail "the secret reached the test output"
pass "no token or secret in the output"
