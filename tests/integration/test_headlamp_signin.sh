#!/usr/bin/env bash
# Headlamp's own sign-in pieces behind aks-proxy (headlamp_pages.h): with no
# token, page loads get a page naming `aks-token login --context ...` (it
# reloads itself) and Headlamp's calls a 401 that tells the page to reload
# (X-Reload); once signed in, Headlamp is served; a pasted token and Log out
# (POST set-token) never reach Headlamp and reload the page onto a notice
# naming aks-token logout/login; a page load of /c/<cluster>/token gets
# aks-proxy's page instead of the paste-a-token box.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
proxy_setup
start_fake_headlamp
start_proxy --upstream "$HEADLAMP_URL" --no-browser
curl -s -o /dev/null -D "$WORK/launch.h" "$(launch_url)"
SESSION=$(grep -o "aks-proxy-$PROXY_PORT=[^;[:space:]]*" "$WORK/launch.h" | head -n1)
[[ -n $SESSION ]] || fail "no session cookie"

page() { curl -s -o "$WORK/body" -D "$WORK/head" -w '%{http_code}' -H "Cookie: $SESSION${2:+; $2}" \
    -H 'Sec-Fetch-Mode: navigate' -H 'Accept: text/html' "$PROXY_URL$1"; }
call() { curl -s -o "$WORK/body" -D "$WORK/head" -w '%{http_code}' -H "Cookie: $SESSION" -H 'Sec-Fetch-Mode: cors' "$@"; }
header() { tr -d '\r' <"$WORK/head" | grep -i "^$1: " | cut -d' ' -f2-; }

assert_eq 401 "$(page /)" "page load without a token"
grep -q 'aks-token login .*--context fake-aks' "$WORK/body" || fail "sign-in page: $(cat "$WORK/body")"
grep -qF 'http-equiv="refresh"' "$WORK/body" || fail "the sign-in page does not reload itself"
assert_eq 401 "$(call "$PROXY_URL/clusters/main/apis/authorization.k8s.io/v1/selfsubjectrulesreviews" -X POST -d '{}')" \
    "Headlamp's auth test without a token"
assert_eq reload "$(header X-Reload)" "X-Reload on Headlamp's calls"
grep -q 'aks-token login' "$WORK/body" || fail "401 body: $(cat "$WORK/body")"
assert_eq 0 "$(curl -fsS "$HEADLAMP_URL/_fake/seen" | jq length)" "requests that reached Headlamp"
pass "no token: a sign-in page naming aks-token login; Headlamp's calls get 401 with X-Reload"

proxy_login || fail "login failed"
served() { [[ $(page /) == 200 ]]; }
wait_until "aks-proxy to pick up the login" served
grep -q 'fake Headlamp' "$WORK/body" || fail "page after login: $(head -c 200 "$WORK/body")"
pass "after aks-token login the same URL serves Headlamp"

for body in '{"token":"pasted-token"}' '{"token":null}'; do
    assert_eq 200 "$(call -X POST -H 'Content-Type: application/json' -d "$body" "$PROXY_URL/clusters/main/set-token")" \
        "set-token $body"
    assert_eq reload "$(header X-Reload)" "set-token reloads the page"
    header Set-Cookie | grep -q '^aks-proxy-notice=token; Path=/; Max-Age=120; HttpOnly; SameSite=Strict' ||
        fail "notice cookie: $(cat "$WORK/head")"
done
assert_eq 200 "$(call -X POST -H 'Content-Type: application/json' -d '{"token":"x"}' "$PROXY_URL/auth/set-token")" "/auth/set-token"
assert_eq 0 "$(curl -fsS "$HEADLAMP_URL/_fake/seen" | jq '[.[] | select(.route == "set-token")] | length')" \
    "set-token requests Headlamp saw"
pass "a pasted token and Log out never reach Headlamp; the page is told to reload"

assert_eq 200 "$(page /c/main/pods 'aks-proxy-notice=token')" "the reload after set-token"
grep -q 'aks-token logout .*--context fake-aks' "$WORK/body" || fail "notice page: $(cat "$WORK/body")"
header Set-Cookie | grep -q '^aks-proxy-notice=; Path=/; Max-Age=0' || fail "the notice is not cleared: $(cat "$WORK/head")"
assert_eq 200 "$(page /c/main/pods)" "the next page load"
grep -q 'fake Headlamp' "$WORK/body" || fail "Headlamp after the notice: $(head -c 200 "$WORK/body")"
pass "the reload shows the notice once (aks-token logout / login), then Headlamp again"

assert_eq 200 "$(page /c/main/token)" "Headlamp's token route"
grep -q 'not used' "$WORK/body" || fail "token page: $(cat "$WORK/body")"
grep -qF 'href="/c/main/"' "$WORK/body" || fail "no way back to Headlamp: $(cat "$WORK/body")"
pass "a page load of /c/main/token gets aks-proxy's page, not the paste-a-token box"
assert_no_token_in "$WORK/proxy.log"
