#!/usr/bin/env bash
# The Headlamp launch secret (issue #11 defect 7), proven in Debian's
# Chromium: aks-proxy gives $BROWSER only a file:// URL — the secret is on no
# command line — of a 0600 file in a 0700 directory, which forwards Chromium
# to the launch URL and is removed once used; the launch URL names a host of
# its own (aks-<hex>.localhost), so another local server the browser visits,
# on another port of 127.0.0.1 and [::1], by address, as localhost or as any
# other *.localhost name, receives no aks-proxy cookie. A second aks-proxy
# with --address 127.0.0.1 shows the leak this check would see (browsers do
# not separate cookies by port).
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/../integration/proxy_lib.sh"
require_chromium
proxy_setup
proxy_login || fail "login failed"
start_fake_headlamp

# The "browser" aks-proxy starts records its whole command line and what it
# can see of the file, then exits.
mkdir -p "$WORK/bin" "$WORK/runtime"
chmod 700 "$WORK/runtime"
cat >"$WORK/bin/record-browser" <<SH
#!/usr/bin/env bash
printf '%s\n' "\$0" "\$@" >"$WORK/argv"
f=\${1#file://}
stat -c '%a %U' "\$f" "\$(dirname "\$f")" >"$WORK/file.stat"
cp "\$f" "$WORK/file.copy"
SH
chmod +x "$WORK/bin/record-browser"
XDG_RUNTIME_DIR=$WORK/runtime BROWSER=$WORK/bin/record-browser start_proxy --upstream "$HEADLAMP_URL"
LAUNCH=$(launch_url)
SECRET=${LAUNCH##*secret=}
wait_until "the browser to be started" test -s "$WORK/argv"
grep -qF "$SECRET" "$WORK/argv" && fail "the launch secret is on the browser's command line"
OPENED=$(sed -n 2p "$WORK/argv")
assert_eq 2 "$(wc -l <"$WORK/argv")" "browser arguments"
[[ $OPENED == "file://$WORK/runtime/aks-proxy-launch-"*.html ]] || fail "opened '$OPENED'"
wait_until "the browser to look at the file" test -s "$WORK/file.copy"
assert_eq "600 $(id -un)" "$(sed -n 1p "$WORK/file.stat")" "launch file mode and owner"
assert_eq "700 $(id -un)" "$(sed -n 2p "$WORK/file.stat")" "launch file directory"
grep -qF "url=$LAUNCH\"" "$WORK/file.copy" || fail "the file does not forward to the launch URL: $(cat "$WORK/file.copy")"
pass "the browser got a 0600 file:// page in a 0700 directory, no secret on its command line"

# A second aks-proxy where the user forced --address 127.0.0.1.
mv "$WORK/proxy.log" "$WORK/proxy-main.log"
FIRST_URL=$PROXY_URL
start_proxy --upstream "$HEADLAMP_URL" --address 127.0.0.1 --no-browser
SHARED_LAUNCH=$(launch_url)
SHARED_URL=$PROXY_URL
grep -q "launch cookie" "$WORK/proxy.log" || fail "no warning about the shared address: $(cat "$WORK/proxy.log")"

OPENED_URL=$OPENED PROXY_URL=$FIRST_URL SHARED_LAUNCH=$SHARED_LAUNCH SHARED_PROXY_URL=$SHARED_URL \
    node "$AKS_SOURCE_DIR/tests/e2e/headlamp_launch.js" >"$WORK/result.json" 2>"$WORK/browser.log" ||
    fail "Chromium run: $(cat "$WORK/result.json" "$WORK/browser.log")"
r() { jq -c "$1" "$WORK/result.json"; }
assert_eq true "$(r .ok)" "browser run"
assert_eq "\"$FIRST_URL/\"" "$(r .landedOn)" "where the file sent Chromium"
[[ $(r .pods) -ge 1 ]] || fail "Headlamp's page did not load: $(cat "$WORK/result.json")"
assert_eq "[{\"name\":\"aks-proxy-${FIRST_URL##*:}\",\"domain\":\"${FIRST_URL#http://}\"}]" \
    "$(jq -c '[.cookies[] | {name, domain: (.domain + ":'"${FIRST_URL##*:}"'")}]' "$WORK/result.json")" "cookie host"
wait_until "the launch file to be removed" test ! -e "${OPENED#file://}"
pass "Chromium followed the file to the launch URL; the file is gone after the launch"

assert_eq '[]' "$(r .otherServer)" "aks-proxy cookies at another server on 127.0.0.1 and [::1]"
pass "another local server on another port receives no aks-proxy cookie (127.0.0.1, [::1], localhost, other *.localhost)"
assert_eq "[\"aks-proxy-${SHARED_URL##*:}\"]" "$(r .otherServerWithSharedAddress)" "with --address 127.0.0.1"
assert_eq "[\"aks-proxy-${FIRST_URL##*:}\"]" "$(r .sameNameOtherPort)" "the proxy's own name, another port"
pass "what remains (README): --address 127.0.0.1 shares the cookie with 127.0.0.1; a server reached by the proxy's own name gets it"

assert_no_token_in "$WORK/proxy.log" "$WORK/proxy-main.log" "$WORK/result.json" "$WORK/browser.log"
grep -qF "$SECRET" "$WORK/result.json" "$WORK/browser.log" && fail "the secret reached the test output"
pass "no token or secret in the output"
