# Shared by the test_headlamp_chromium*.sh tests (sourced, not run): Headlamp
# through aks-proxy in Chromium (headlamp_browser.js) against fake-headlamp,
# in one of Headlamp's two frontend builds and one of aks-proxy's two ways to
# reach it. Set before sourcing:
#   MODE      direct | multiplexer (fake-headlamp --multiplexer)
#   CLUSTER   Headlamp's in-cluster context name (dots, long names...)
#   SERVICE   1: --headlamp-service through the API server's service proxy; else --upstream
#   NO_TOKEN  1: start with nobody signed in (the sign-in page first)
#   EVIL      1: also try the proxy from another origin
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/../integration/proxy_lib.sh"

run_headlamp_e2e() {
    require_chromium
    local lifetime=30  # refreshed 15 s before expiry, under the open page
    proxy_setup
    entra_control config "{\"lifetime\":$lifetime}" >/dev/null
    local first_token="" first_expires=0
    if [[ ${NO_TOKEN:-0} != 1 ]]; then
        proxy_login || fail "login failed"
        first_expires=$(( $(date +%s) + lifetime ))
        first_token=$(aks_token get-token "${LOGIN_FLAGS[@]}" </dev/null | jq -r .status.token)
    fi
    local fake_args=(--in-cluster-context-name "$CLUSTER")
    [[ $MODE == multiplexer ]] && fake_args+=(--multiplexer)
    start_fake_headlamp "${fake_args[@]}"
    # Headlamp puts the context name through MakeDNSFriendly for its URLs; these names need none.
    local proxy_args=(--headlamp-cluster "$CLUSTER")
    if [[ ${SERVICE:-0} == 1 ]]; then
        node "$AKS_SOURCE_DIR/tests/fakes/fake-headlamp/service_proxy.js" --cert "$PKI/server.pem" \
            --key "$PKI/server-key.pem" --backend "$HEADLAMP_URL" --service headlamp/headlamp:http \
            --apiserver "$APISERVER_URL" --ca "$PKI/ca.pem" --port-file "$WORK/svc.port" >"$WORK/svc.log" 2>&1 &
        _pids+=($!)
        local svc_url=https://127.0.0.1:$(_wait_port_file "$WORK/svc.port" $! fake-service-proxy)
        KUBECONFIG_FILE=$WORK/svc.kubeconfig
        APISERVER_URL=$svc_url write_kubeconfig "$KUBECONFIG_FILE"
        proxy_args+=(--headlamp-service headlamp/headlamp)
    else
        proxy_args+=(--upstream "$HEADLAMP_URL")
    fi

    # The "browser" aks-proxy starts records what it was given.
    mkdir -p "$WORK/bin" "$WORK/runtime"
    chmod 700 "$WORK/runtime"
    printf '#!/usr/bin/env bash\nprintf "%%s\\n" "$1" >>"%s"\n' "$WORK/opened" >"$WORK/bin/record-browser"
    chmod +x "$WORK/bin/record-browser"
    # The sign-in NO_TOKEN asks for; it notes the first token's fingerprint.
    local flags
    flags=$(printf '%q ' "${LOGIN_FLAGS[@]}")
    cat >"$WORK/bin/login" <<SH
#!/usr/bin/env bash
set -e
"$AKS_BIN_DIR/aks-token" login $flags </dev/null >/dev/null 2>&1
t=\$("$AKS_BIN_DIR/aks-token" get-token $flags </dev/null | jq -r .status.token)
printf 'sha256:%s' "\$(printf '%s' "\$t" | sha256sum | cut -c1-12)" >"$WORK/first.fp"
SH
    chmod +x "$WORK/bin/login"
    XDG_RUNTIME_DIR=$WORK/runtime BROWSER=$WORK/bin/record-browser start_proxy "${proxy_args[@]}"
    wait_until "the browser to be started" test -s "$WORK/opened"

    local cookie_cluster
    cookie_cluster=$(printf '%s' "$CLUSTER" | tr -cd 'A-Za-z0-9_-' | cut -c1-50)
    mkdir -p "$WORK/home"
    HOME=$WORK/home MODE=$MODE OPENED_URL=$(cat "$WORK/opened") PROXY_URL=$PROXY_URL HEADLAMP_URL=$HEADLAMP_URL \
        APISERVER_URL=$APISERVER_URL CA_FILE=$PKI/ca.pem CLUSTER=$CLUSTER COOKIE_CLUSTER=$cookie_cluster \
        FIRST_EXPIRES=$first_expires TOKEN_LIFETIME=$lifetime ROTATE_WITHIN_S=60 NO_TOKEN=${NO_TOKEN:-0} \
        LOGIN_SCRIPT=$WORK/bin/login EVIL=${EVIL:-0} \
        node "$AKS_SOURCE_DIR/tests/e2e/headlamp_browser.js" >"$WORK/result.json" 2>"$WORK/browser.log" ||
        fail "Chromium run: $(cat "$WORK/result.json" "$WORK/browser.log")"
    r() { jq -r "$1" "$WORK/result.json"; }
    local first_fp
    if [[ -n $first_token ]]; then first_fp=$(fake_fingerprint "$first_token"); else first_fp=$(cat "$WORK/first.fp"); fi
    local how="--upstream"
    [[ ${SERVICE:-0} == 1 ]] && how="--headlamp-service"
    local what="$MODE frontend, $how, cluster '$CLUSTER'"

    assert_eq true "$(r .ok)" "browser run"
    assert_eq 401 "$(r .withoutLaunch)" "page before the launch"
    assert_eq "$PROXY_URL/" "$(r .landedOn)" "where the launch file led"
    if [[ ${NO_TOKEN:-0} == 1 ]]; then
        r .signInPage | grep -q 'aks-token login .*--context fake-aks' || fail "sign-in page: $(r .signInPage)"
        pass "$what: nobody signed in: the page names aks-token login, then turns into Headlamp by itself"
    fi
    [[ $(r '.pods | length') -ge 1 ]] || fail "no pods listed: $(cat "$WORK/result.json")"
    assert_eq alice@contoso.example "$(r .user)" "the user Headlamp's /me shows"
    assert_eq "$first_fp" "$(r .first)" "credential Headlamp used"
    assert_eq true "$(r .firstEvent)" "watch event"
    pass "$what: pods listed with this run's token (the stale headlamp-auth-$cookie_cluster.0 ignored), a watch event pushed"

    [[ $(r '.second // empty') != "" ]] || fail "the token did not rotate: $(cat "$WORK/result.json")"
    assert_eq '["list 200"]' "$(jq -c .listsDuringRotation "$WORK/result.json")" "pod lists during the rotation"
    assert_eq "list 200" "$(r .statusAfterExpiry)" "pod list after the first token expired"
    assert_eq true "$(r .eventAfterExpiry)" "watch event after the first token expired"
    if [[ $MODE == multiplexer ]]; then
        assert_eq true "$(r .newSubscriptionAfterExpiry)" "new multiplexer subscription after expiry"
        [[ $(r .lastMultiplexerFingerprint) != "$first_fp" ]] || fail "the new subscription used the first token"
        assert_eq 1 "$(r .socketsOpened)" "multiplexer sockets the page opened"
    else
        [[ $(r .lastWebSocketFingerprint) != "$first_fp" ]] || fail "the newest watch socket used the first token"
    fi
    assert_eq '[]' "$(jq -c .errors "$WORK/result.json")" "errors shown"
    assert_eq true "$(r .notReloaded)" "page not reloaded"
    assert_eq open "$(r .watchState)" "watch socket"
    pass "$what: the token rotated and the first one expired under the open page: lists, live updates$([[ $MODE == multiplexer ]] && echo ' and a new subscription') keep working, no reload"

    r .afterPaste | grep -q 'aks-token logout .*--context fake-aks' || fail "notice after paste: $(r .afterPaste)"
    r .afterLogout | grep -q 'aks-token logout .*--context fake-aks' || fail "notice after Log out: $(r .afterLogout)"
    assert_eq 0 "$(r .setTokenSeenByHeadlamp)" "set-token requests Headlamp saw"
    [[ $(r .afterNotices) != "$first_fp" && $(r .afterNotices) != "" ]] || fail "credential after paste and Log out: $(r .afterNotices)"
    pass "$what: a pasted token and Log out reload onto aks-proxy's notice; Headlamp never sees them"

    if [[ ${EVIL:-0} == 1 ]]; then
        assert_eq failed "$(r .evilFetch)" "cross-origin fetch"
        assert_eq failed "$(r .evilWs)" "cross-origin WebSocket"
        pass "$what: a page from another origin can neither fetch nor open a WebSocket"
    fi
    assert_no_token_in "$WORK/proxy.log" "$WORK/result.json" "$WORK/browser.log"
    grep -q 'warning' "$WORK/proxy.log" && fail "aks-proxy warned: $(grep warning "$WORK/proxy.log")"
    pass "$what: no token in the output, no warning"
}
