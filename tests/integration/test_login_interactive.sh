#!/usr/bin/env bash
# --login interactive (auth code + PKCE) against fake-entra with a BROWSER
# program that only fetches the URL (following the redirect to our loopback
# listener): works without a terminal, state/nonce/PKCE/login_hint sent,
# success and error pages, URL on stderr when no browser opens, --timeout,
# --redirect-url, and one browser for many parallel get-token.
source "$(dirname "$0")/lib.sh"
start_entra
use_test_ca
mkdir -p "$WORK/bin"
cat >"$WORK/bin/fetch-browser" <<SH
#!/usr/bin/env bash
# A browser that signs in at once: fetch the URL, follow redirects.
echo "\$1" >>"$WORK/browser.log"
curl -sS -L --cacert "$PKI/ca.pem" -o "$WORK/page.\$\$.html" "\$1"
SH
chmod +x "$WORK/bin/fetch-browser"
# The browser double writes its page after aks-token has had its answer and
# may have exited: wait for the page instead of racing curl.
wait_page() {  # text
    local i
    for ((i = 0; i < 200; i++)); do
        grep -qs -- "$1" "$WORK"/page.*.html && return 0
        sleep 0.05
    done
    return 1
}
BASE=(--login interactive -t "$TENANT" --server-id "$SERVER_ID" --authority-host "$ENTRA_URL" --cache-dir "$CACHE_DIR")
# kubectl's batch session (spec.interactive=false), no terminal at all.
get() { KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH aks_token get-token "${BASE[@]}" "$@"; }
export BROWSER=$WORK/bin/fetch-browser
unset DISPLAY WAYLAND_DISPLAY

get --login-hint carol@contoso.example >"$WORK/out" 2>"$WORK/err" </dev/null || fail "interactive: $(cat "$WORK/err")"
jq -e '.status.token | length > 20' "$WORK/out" >/dev/null || fail "no token"
url=$(cat "$WORK/browser.log")
for p in response_type=code code_challenge_method=S256 'code_challenge=[A-Za-z0-9_-]{43}' 'state=[A-Za-z0-9_-]{20,}' \
    'nonce=' 'login_hint=carol%40contoso.example' 'redirect_uri=http%3A%2F%2Flocalhost%3A[0-9]+'; do
    grep -Eq "$p" <<<"$url" || fail "authorize URL lacks $p: $url"
done
wait_page "You may close this tab" || fail "success page: $(cat "$WORK"/page.*.html)"
assert_eq 1 "$(entra_counter .authorize)" "authorize requests"
assert_eq 1 "$(entra_counter .token.authorization_code)" "code redemptions (PKCE verified by fake-entra)"
jq -e '.refresh_token | length > 0' "$(cache_file)" >/dev/null || fail "browser sign-in keeps the refresh token"
assert_no_token_in "$WORK/err" "$WORK"/page.*.html
pass "browser sign-in without a terminal; PKCE S256, state, nonce, login_hint; success page"

# Cached afterwards (the login hint is part of the identity): no browser.
get --login-hint carol@contoso.example >/dev/null 2>&1 </dev/null || fail "cache hit"
assert_eq 1 "$(wc -l <"$WORK/browser.log")" "browser starts after a cache hit"

# N parallel kubectl runs: one browser tab, one code, one token for all.
rm -rf "$CACHE_DIR" "$WORK/browser.log" "$WORK"/page.*.html
pids=()
for i in $(seq 8); do
    get >"$WORK/out.$i" 2>"$WORK/err.$i" </dev/null &
    pids+=($!)
done
for i in "${!pids[@]}"; do wait "${pids[$i]}" || fail "parallel get-token #$((i + 1)): $(cat "$WORK/err.$((i + 1))")"; done
assert_eq 1 "$(wc -l <"$WORK/browser.log")" "browser tabs opened by 8 parallel runs"
assert_eq 1 "$(for i in $(seq 8); do jq -r .status.token "$WORK/out.$i"; done | sort -u | wc -l)" "distinct tokens"
pass "8 parallel get-token open one browser tab"

# A failed browser sign-in: the prompt lines, then exactly one error line.
expect_failure_last_line() {  # pattern command...
    local pattern=$1 rc=0
    shift
    "$@" >"$WORK/xerr.out" 2>"$WORK/xerr.err" </dev/null || rc=$?
    ((rc != 0)) || fail "expected failure: $*"
    [[ ! -s $WORK/xerr.out ]] || fail "stdout not empty for: $*"
    tail -n1 "$WORK/xerr.err" | grep -qiE -- "^aks-token: .*$pattern" || fail "last line should match '$pattern': $(cat "$WORK/xerr.err")"
    assert_eq 1 "$(grep -c '^aks-token:' "$WORK/xerr.err")" "error lines"
}

# The provider says no: error page in the browser, one line for kubectl.
rm -rf "$CACHE_DIR" "$WORK"/page.*.html
entra_control config '{"authorize_error":"access_denied"}' >/dev/null
expect_failure_last_line "AADSTS65004" get
wait_page "Sign-in failed" || fail "error page: $(cat "$WORK"/page.*.html)"
entra_control config '{"authorize_error":""}' >/dev/null
pass "error= callback: error page and a one-line error"

# No browser at all: the URL is printed on stderr; someone opens it.
rm -rf "$CACHE_DIR"
env -u BROWSER KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH "$AKS_BIN_DIR/aks-token" get-token "${BASE[@]}" \
    >"$WORK/out" 2>"$WORK/err" </dev/null &
pid=$!
url=$(wait_for_match "$WORK/err" 'https://[^ ]+/authorize\?[^ ]+' "$pid")
[[ -n $url ]] || fail "no URL on stderr: $(cat "$WORK/err")"
grep -q "No browser could be opened" "$WORK/err" || fail "should say no browser opened: $(cat "$WORK/err")"
curl -sS -L --cacert "$PKI/ca.pem" -o /dev/null "$url" || fail "following the printed URL"
wait "$pid" || fail "get-token after the printed URL was followed: $(cat "$WORK/err")"
jq -e '.status.token | length > 20' "$WORK/out" >/dev/null || fail "no token after manual sign-in"
pass "no browser: URL on stderr, sign-in completes when it is opened"

# Nobody signs in: bounded by --timeout.
rm -rf "$CACHE_DIR"
expect_failure_last_line "did not complete within 2s" env BROWSER=true \
    KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH "$AKS_BIN_DIR/aks-token" get-token "${BASE[@]}" --timeout 2s

# --redirect-url: that port and path.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
rm -rf "$CACHE_DIR" "$WORK/browser.log"
get --redirect-url "http://localhost:$port/callback" >/dev/null 2>"$WORK/err" </dev/null || fail "--redirect-url: $(cat "$WORK/err")"
grep -q "redirect_uri=http%3A%2F%2Flocalhost%3A$port%2Fcallback" "$WORK/browser.log" || fail "redirect_uri: $(cat "$WORK/browser.log")"
rm -rf "$CACHE_DIR"
expect_one_line_error "redirect-url must be an http URL on localhost" get --redirect-url https://example.com/cb
expect_one_line_error "redirect-url needs a port" get --redirect-url http://localhost/cb
[[ ! -e $CACHE_DIR ]] || fail "bad input must not create the cache"
pass "--timeout and --redirect-url"
