# Helpers for the aks-proxy tests (sourced after lib.sh, not run).

# The identity-provider half of proxy_setup: fake-entra approving device codes
# at once, its CA trusted, LOGIN_FLAGS set.
proxy_identity_setup() {
    start_entra
    use_test_ca
    set_login_flags
    entra_control config '{"auto_approve_after":0,"interval":0}' >/dev/null
}

# fake-entra + fake-apiserver, a signed-in cache and a kubeconfig whose user
# runs aks-token: what a user has after `aks-token login`. Extra args go to
# fake-apiserver.
proxy_setup() {
    proxy_identity_setup
    start_apiserver "$@"
    KUBECONFIG_FILE=$WORK/kubeconfig
    write_kubeconfig "$KUBECONFIG_FILE"
}

proxy_login() { aks_token login "${LOGIN_FLAGS[@]}" 2>"$WORK/login.log" </dev/null; }

# Starts aks-proxy on an ephemeral port with the test kubeconfig; sets
# PROXY_URL, PROXY_PORT, PROXY_PID. Its stdout and stderr go to proxy.log.
start_proxy() {
    : >"$WORK/proxy.log"
    # The context's exec entry names the cache directory (LOGIN_FLAGS).
    "$AKS_BIN_DIR/aks-proxy" --kubeconfig "$KUBECONFIG_FILE" --context fake-aks \
        --port 0 --threads 2 "$@" </dev/null >>"$WORK/proxy.log" 2>&1 &
    PROXY_PID=$!
    _pids+=("$PROXY_PID")
    local i line
    for ((i = 0; i < 200; i++)); do
        line=$(grep -m1 '^Starting to serve on ' "$WORK/proxy.log" || true)
        [[ -n $line ]] && break
        kill -0 "$PROXY_PID" 2>/dev/null || fail "aks-proxy exited during start-up: $(cat "$WORK/proxy.log")"
        sleep 0.05
    done
    [[ -n $line ]] || fail "aks-proxy did not start"
    PROXY_ADDR=${line#Starting to serve on }
    PROXY_PORT=${PROXY_ADDR##*:}
    PROXY_URL=http://$PROXY_ADDR
    PROXY_HOST=${PROXY_ADDR%:*}
    # Headlamp mode is reached by the launch URL's host name of its own (curl,
    # like browsers, resolves *.localhost to loopback).
    local launch
    launch=$(launch_url || true)
    if [[ $launch =~ ^http://([a-z0-9-]+\.localhost):$PROXY_PORT/ ]]; then
        PROXY_HOST=${BASH_REMATCH[1]}
        PROXY_URL=http://$PROXY_HOST:$PROXY_PORT
    fi
}

# kubectl pointed at the proxy with no credentials at all.
kubectl_via_proxy() { kubectl --kubeconfig /dev/null --server "$PROXY_URL" "$@"; }

# Posts a JSON body to fake-apiserver's control API (HTTP/1.1 without ALPN,
# so that the fake's h2 and http1 connection counts are the proxy's alone).
apiserver_control() {  # name [json]
    if (($# > 1)); then
        curl -fsS --http1.1 --no-alpn --cacert "$PKI/ca.pem" -H 'Content-Type: application/json' -d "$2" "$APISERVER_URL/_control/$1"
    else
        curl -fsS --http1.1 --no-alpn --cacert "$PKI/ca.pem" "$APISERVER_URL/_control/$1"
    fi
}

# Which upstream protocol carried the proxy's requests so far, from
# fake-apiserver's ALPN counters (control calls use none; a test's own direct
# curl may add HTTP/2 ones): HTTP/2 unless AKS_FAKE_HTTP1=1 turned it off.
# Upgrades always take HTTP/1.1, so call this before any.
assert_upstream_protocol() {  # what
    local c
    c=$(apiserver_control connections)
    if [[ ${AKS_FAKE_HTTP1:-0} == 1 ]]; then
        assert_eq 0 "$(jq -r .h2 <<<"$c")" "$1: HTTP/2 connections with the fake's HTTP/2 off"
        pass "$1: over the HTTP/1.1 upstream"
    else
        assert_eq 0 "$(jq -r .http1 <<<"$c")" "$1: HTTP/1.1 connections (all over HTTP/2)"
        (($(jq -r .h2 <<<"$c") > 0)) || fail "$1: no HTTP/2 connection"
        pass "$1: over the HTTP/2 upstream"
    fi
}

# Waits (bounded) until a command succeeds.
wait_until() {  # what cmd...
    local what=$1 i
    shift
    for ((i = 0; i < 200; i++)); do
        "$@" && return 0
        sleep 0.05
    done
    fail "timed out waiting for $what"
}

# Starts tests/fakes/fake-headlamp against fake-apiserver; sets HEADLAMP_URL.
# Extra args go to the fake (e.g. --base-url /headlamp).
start_fake_headlamp() {
    local name=${HEADLAMP_NAME:-headlamp}
    node "$AKS_SOURCE_DIR/tests/fakes/fake-headlamp/server.js" --apiserver "$APISERVER_URL" --ca "$PKI/ca.pem" \
        --port 0 --port-file "$WORK/$name.port" "$@" >"$WORK/fake-$name.log" 2>&1 &
    _pids+=($!)
    HEADLAMP_PORT=$(_wait_port_file "$WORK/$name.port" $! fake-headlamp)
    HEADLAMP_URL=http://127.0.0.1:$HEADLAMP_PORT
}

# The launch URL aks-proxy printed (Headlamp mode), after start_proxy.
launch_url() { grep -m1 -Eo 'http://[^ ]+/\.aks-proxy/launch\?secret=[A-Za-z0-9_-]+' "$WORK/proxy.log"; }

# The SHA-256 fingerprint fake-headlamp reports for a credential.
fake_fingerprint() { printf 'sha256:%s' "$(printf '%s' "$1" | sha256sum | cut -c1-12)"; }

# A WebSocket to the proxy as a page opens it (node ws); output in $WORK/$1.
ws_open() {  # outfile url [Header: value]...
    local out=$WORK/$1
    shift
    node "$AKS_SOURCE_DIR/tests/fakes/fake-headlamp/ws_client.js" "$@" >"$out" 2>&1 &
    _pids+=($!)
    WS_PID=$!
}

# A TLS handshake with a server on a loopback port, trusting the test CA:
# openssl s_client's report (-brief), errors included.
tls_handshake() {  # port [s_client options]
    local port=$1
    shift
    timeout 10 openssl s_client -brief -connect "127.0.0.1:$port" -CAfile "$PKI/ca.pem" "$@" </dev/null 2>&1
}
# The cipher suite that server chose ("" when the handshake failed).
tls_cipher() { tls_handshake "$@" | sed -n 's/^Ciphersuite: //p'; }  # port [s_client options]

# Starts tests/fakes/trickle-upstream (TLS with the test certificate; every
# byte it sends goes in a write of its own); sets TRICKLE_URL.
start_trickle_upstream() {
    node "$AKS_SOURCE_DIR/tests/fakes/trickle-upstream/server.js" --cert "$PKI/server.pem" \
        --key "$PKI/server-key.pem" --port 0 --port-file "$WORK/trickle.port" >"$WORK/trickle-upstream.log" 2>&1 &
    _pids+=($!)
    TRICKLE_URL=https://127.0.0.1:$(_wait_port_file "$WORK/trickle.port" $! trickle-upstream)
}

# Exact bytes to the proxy (tests/integration/raw_http.py): prints one status
# code per response, then "closed" or "open".
raw_http() { python3 "$AKS_SOURCE_DIR/tests/integration/raw_http.py" "$PROXY_PORT" "$@"; }

# What fake-apiserver RECEIVED (its log: one "METHOD target status user" line
# per request it parsed): mark the log, then list the lines written since,
# up to a sentinel request sent through the proxy afterwards, which orders
# everything the attack could have sent before it.
upstream_mark() { wc -l <"$WORK/fake-apiserver.log"; }
upstream_since() {  # mark
    local tag=sentinel-$RANDOM$RANDOM
    curl -s -o /dev/null "$PROXY_URL/version?$tag" || true
    wait_until "the sentinel request upstream" grep -q "$tag" "$WORK/fake-apiserver.log"
    tail -n +"$(($1 + 1))" "$WORK/fake-apiserver.log" | grep -v "$tag" || true
}
