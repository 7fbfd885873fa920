# Shared helpers for integration and e2e tests (sourced, not run).
# Every test gets a private work directory and stops every server it started
# on exit, whether it passed or failed.
set -euo pipefail

AKS_SOURCE_DIR=${AKS_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
AKS_BIN_DIR=${AKS_BIN_DIR:-$AKS_SOURCE_DIR/build/bin}
TENANT=${TENANT:-72f988bf-86f1-41af-91ab-2d7cd011db47}
SERVER_ID=6dae42f8-4368-4678-94ff-3960e28e3630

WORK=$(mktemp -d "${TMPDIR:-/tmp}/aks-test.XXXXXX")
chmod 700 "$WORK"
CACHE_DIR=$WORK/cache
_pids=()

_cleanup() {
    local status=$?
    # SIGCONT too: a test may have stopped one (a suspended holder of a lock).
    for pid in "${_pids[@]}"; do kill "$pid" 2>/dev/null && kill -CONT "$pid" 2>/dev/null || true; done
    for pid in "${_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if ((status != 0)) && [[ -d $WORK ]]; then
        for log in "$WORK"/*.log; do
            [[ -f $log ]] || continue
            echo "--- $(basename "$log") (last lines)" >&2
            tail -n 20 "$log" >&2
        done
    fi
    # A detached browser a test started (Chromium's profile) may still be
    # writing into $WORK for a moment.
    rm -rf "$WORK" 2>/dev/null || { sleep 1; rm -rf "$WORK"; }
    exit "$status"
}
trap _cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }
# The browser tests' prerequisites: Debian's Chromium and tests/e2e's npm packages.
require_chromium() {
    [[ -x /usr/bin/chromium ]] || fail "Chromium is not installed (scripts/setup.sh installs it)"
    [[ -d $AKS_SOURCE_DIR/tests/e2e/node_modules/playwright-core ]] || fail "npm packages missing in tests/e2e"
}

# Whether this machine has the IPv6 loopback address (::1).
have_ipv6_loopback() { grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null; }

assert_eq() {  # expected actual what
    [[ $1 == "$2" ]] || fail "$3: expected '$1', got '$2'"
}

# Waits until a server wrote its port file (atomically) or died.
_wait_port_file() {  # file pid name
    local i
    for ((i = 0; i < 200; i++)); do
        [[ -s $1 ]] && { cat "$1"; return 0; }
        kill -0 "$2" 2>/dev/null || fail "$3 exited during start-up"
        sleep 0.05
    done
    fail "$3 did not start"
}

make_pki() {
    bash "$AKS_SOURCE_DIR/tests/fakes/make-pki.sh" "$WORK/pki"
    PKI=$WORK/pki
}

# Starts fake-entra on an ephemeral loopback port; sets ENTRA_URL, ENTRA_PORT.
start_entra() {
    [[ -n ${PKI:-} ]] || make_pki
    "$AKS_BIN_DIR/fake-entra" --cert "$PKI/server.pem" --key "$PKI/server-key.pem" \
        --port 0 --port-file "$WORK/entra.port" "$@" >"$WORK/fake-entra.log" 2>&1 &
    _pids+=($!)
    ENTRA_PORT=$(_wait_port_file "$WORK/entra.port" $! fake-entra)
    ENTRA_URL=https://127.0.0.1:$ENTRA_PORT
}

# Starts fake-apiserver trusting fake-entra's keys; sets APISERVER_URL and
# APISERVER_PID. It speaks HTTP/2 (as kube-apiserver) unless AKS_FAKE_HTTP1=1:
# ctest runs some proxy tests both ways (tests/CMakeLists.txt).
start_apiserver() {
    local http1=()
    [[ ${AKS_FAKE_HTTP1:-0} == 1 ]] && http1=(--no-http2)
    "$AKS_BIN_DIR/fake-apiserver" --cert "$PKI/server.pem" --key "$PKI/server-key.pem" \
        --ca "$PKI/ca.pem" --jwks-url "$ENTRA_URL/common/discovery/keys" \
        --issuer "https://sts.windows.net/$TENANT/" --audience "$SERVER_ID" \
        --port 0 --port-file "$WORK/apiserver.port" "${http1[@]}" "$@" >"$WORK/fake-apiserver.log" 2>&1 &
    APISERVER_PID=$!
    _pids+=($!)
    APISERVER_PORT=$(_wait_port_file "$WORK/apiserver.port" $! fake-apiserver)
    APISERVER_URL=https://127.0.0.1:$APISERVER_PORT
}

# POST a JSON body to fake-entra's control API (or GET when no body).
entra_control() {  # name [json]
    if (($# > 1)); then
        curl -fsS --cacert "$PKI/ca.pem" -H 'Content-Type: application/json' -d "$2" "$ENTRA_URL/_control/$1"
    else
        curl -fsS --cacert "$PKI/ca.pem" "$ENTRA_URL/_control/$1"
    fi
}

# Reads one counter from fake-entra, e.g. entra_counter .devicecode
entra_counter() { entra_control counters | jq -r "$1"; }

# aks-token with the login flags every test uses (device code against the fake).
LOGIN_FLAGS=()
set_login_flags() {
    LOGIN_FLAGS=(--login devicecode --tenant-id "$TENANT" --server-id "$SERVER_ID"
                 --authority-host "$ENTRA_URL" --cache-dir "$CACHE_DIR")
}
aks_token() { "$AKS_BIN_DIR/aks-token" "$@"; }

# Trust the fake's CA for the identity provider, as a user would with SSL_CERT_FILE.
use_test_ca() { export SSL_CERT_FILE=$PKI/ca.pem; }

# Writes a kubeconfig whose user runs aks-token with the given extra args.
write_kubeconfig() {  # path
    cat >"$1" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: fake-aks
  cluster:
    server: $APISERVER_URL
    certificate-authority: $PKI/ca.pem
contexts:
- name: fake-aks
  context:
    cluster: fake-aks
    user: fake-aks-user
current-context: fake-aks
users:
- name: fake-aks-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: $AKS_BIN_DIR/aks-token
      args:
      - get-token
$(for a in "${LOGIN_FLAGS[@]}"; do printf '      - "%s"\n' "$a"; done)
      env:
      - name: SSL_CERT_FILE
        value: $PKI/ca.pem
      interactiveMode: IfAvailable
      provideClusterInfo: false
      installHint: "aks-token is part of aks-auth; see its README"
YAML
    chmod 600 "$1"
}

EXEC_INFO_INTERACTIVE='{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":true}}'
EXEC_INFO_BATCH='{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}'

# get-token as kubectl runs it in a terminal session; stdout/stderr to files.
get_token_interactive() {  # out err [extra args]
    local out=$1 err=$2
    shift 2
    KUBERNETES_EXEC_INFO=$EXEC_INFO_INTERACTIVE aks_token get-token "${LOGIN_FLAGS[@]}" "$@" >"$out" 2>"$err" </dev/null
}

cache_file() { ls "$CACHE_DIR"/*.json 2>/dev/null | head -n1; }

# Fails when a string that looks like a JWT appears in the given files.
assert_no_token_in() {
    local f
    for f in "$@"; do
        if grep -Eq 'eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.' "$f"; then
            fail "$f contains a token"
        fi
    done
}

file_mode() { stat -c %a "$1"; }

# Runs a command that must fail with exactly one stderr line matching the
# pattern (case-insensitive) and nothing on stdout.
expect_one_line_error() {  # pattern command...
    local pattern=$1 rc=0
    shift
    "$@" >"$WORK/xerr.out" 2>"$WORK/xerr.err" </dev/null || rc=$?
    ((rc != 0)) || fail "expected failure: $*"
    [[ ! -s $WORK/xerr.out ]] || fail "stdout not empty for: $*"
    assert_eq 1 "$(wc -l <"$WORK/xerr.err")" "stderr lines for: $* ($(cat "$WORK/xerr.err"))"
    grep -qiE -- "$pattern" "$WORK/xerr.err" || fail "error for '$*' should match '$pattern': $(cat "$WORK/xerr.err")"
    assert_no_token_in "$WORK/xerr.err"
}

# A throw-away RSA client certificate for service principal tests:
# $WORK/<name>.pem (certificate + key), <name>-cert.pem, <name>.pfx (password <pfx-password>).
make_client_cert() {  # name pfx-password
    local d=$WORK/$1
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d-key.pem" -out "$d-cert.pem" -days 1 \
        -subj "/CN=aks-auth test $1" >/dev/null 2>&1 || fail "openssl could not make a certificate"
    cat "$d-cert.pem" "$d-key.pem" >"$d.pem"
    openssl pkcs12 -export -in "$d-cert.pem" -inkey "$d-key.pem" -out "$d.pfx" -passout "pass:$2" \
        >/dev/null 2>&1 || fail "openssl could not make a PFX"
    chmod 600 "$d.pem" "$d-key.pem" "$d.pfx"
}

# Starts fake-imds (IMDS, App Service, Cloud Shell and GitHub Actions token
# endpoints, plain HTTP on loopback); sets IMDS_URL.
start_imds() {
    "$AKS_BIN_DIR/fake-imds" --port-file "$WORK/imds.port" >"$WORK/fake-imds.log" 2>&1 &
    _pids+=($!)
    IMDS_URL=http://127.0.0.1:$(_wait_port_file "$WORK/imds.port" $! fake-imds)
}
imds_control() {  # name [json]
    if (($# > 1)); then curl -fsS --noproxy "*" -H "Content-Type: application/json" -d "$2" "$IMDS_URL/_control/$1"
    else curl -fsS --noproxy "*" "$IMDS_URL/_control/$1"; fi
}

# The JSON payload of a JWT (second segment), for checking claims in tests.
jwt_payload() {  # token
    local p
    p=$(cut -d. -f2 <<<"$1" | tr '_-' '/+')
    while ((${#p} % 4)); do p+='='; done
    base64 -d <<<"$p"
}

# An unsigned-looking JWT with the given payload JSON, as an external issuer
# (Kubernetes, GitHub) would hand out; fake-entra checks its claims.
make_jwt() {  # payload-json
    local h p
    h=$(printf '%s' '{"alg":"RS256","kid":"test","typ":"JWT"}' | base64 -w0 | tr '/+' '_-' | tr -d '=')
    p=$(printf '%s' "$1" | base64 -w0 | tr '/+' '_-' | tr -d '=')
    printf '%s.%s.%s' "$h" "$p" "c2lnbmF0dXJlLW5vdC1jaGVja2Vk"
}

# Every request fake-entra answered on its sign-in endpoints (device code,
# authorize, token of any grant): unchanged means "no identity-provider request".
entra_requests() { entra_control counters | jq '[.devicecode, .authorize, (.token | add)] | add'; }

# Copies a tests/fixtures/kubeconfig file (az aks get-credentials shaped) to
# $2, pointing its cluster at the fake API server and trusting the test CA.
kubeconfig_from_fixture() {  # fixture-name path
    local ca
    ca=$(base64 -w0 "$PKI/ca.pem")
    sed -e "s#https://myaks-dns-3f2a9c1b.hcp.eastus.azmk8s.io:443#$APISERVER_URL#" \
        -e "s#certificate-authority-data: .*#certificate-authority-data: $ca#" \
        "$AKS_SOURCE_DIR/tests/fixtures/kubeconfig/$1" >"$2"
    chmod 600 "$2"
}

# Prints the first match of an extended regex in a file that a background
# process is writing, waiting until it appears or the process ends (then
# prints nothing).
wait_for_match() {  # file regex pid
    local i match
    for ((i = 0; i < 400; i++)); do
        match=$(grep -Eo -m1 -- "$2" "$1" 2>/dev/null | head -n1)
        [[ -n $match ]] && break
        kill -0 "$3" 2>/dev/null || break
        sleep 0.05
    done
    [[ -n $match ]] || match=$(grep -Eo -m1 -- "$2" "$1" 2>/dev/null | head -n1)
    printf '%s' "$match"
}

# --- identity-provider faults and cache state (test_idp_faults.sh and friends)

# fake-entra running, its CA trusted, LOGIN_FLAGS set, device codes approved
# at once, and one login done: the usual start of a cache test.
start_signed_in() {  # [extra config fields, e.g. '"refresh_token_single_use":false']
    start_entra
    use_test_ca
    set_login_flags
    entra_control config "{\"auto_approve_after\":0,\"interval\":0${1:+,$1}}" >/dev/null
    aks_token login "${LOGIN_FLAGS[@]}" 2>/dev/null </dev/null || fail "login failed"
}

# Queues one fault at fake-entra (fields: tests/fakes/fake-entra/state.h).
entra_fault() { entra_control fault "$1" >/dev/null; }
# Drops queued faults and ends answers the fake is still delaying.
entra_clear_faults() { entra_control fault/clear '{}' >/dev/null; }

# Rewrites the cache entry's times: "expired" (long past), "margin" (valid,
# 100 s left, inside the refresh margin) or "fresh" (an hour left).
age_cache_entry() {  # expired|margin|fresh
    local f now
    f=$(cache_file)
    now=$(date +%s)
    case $1 in
        expired) jq '.expires_on = 1000 | .obtained_at = 10' "$f" >"$WORK/aged" ;;
        margin) jq --argjson now "$now" '.obtained_at = ($now - 3500) | .expires_on = ($now + 100)' "$f" >"$WORK/aged" ;;
        fresh) jq --argjson now "$now" '.obtained_at = $now | .expires_on = ($now + 3600)' "$f" >"$WORK/aged" ;;
    esac
    cat "$WORK/aged" >"$f"
}

# Remembers the cache entry's bytes; assert_cache_intact compares with them.
snapshot_cache() { cp "$(cache_file)" "$WORK/cache.snapshot"; }
assert_cache_intact() {  # what
    cmp -s "$(cache_file)" "$WORK/cache.snapshot" || fail "$1: the cache entry changed"
}

# Runs a command with stdin from /dev/null, stdout/stderr to $WORK/out and
# $WORK/err; sets RC.
run_capture() {
    RC=0
    "$@" >"$WORK/out" 2>"$WORK/err" </dev/null || RC=$?
}

# Asserts RC, exactly one stderr line matching the pattern, no token on
# stderr, and (when the exit code is not 0) nothing on stdout.
expect_result() {  # exit-code pattern what
    assert_eq "$1" "$RC" "$3: exit code (stderr: $(head -c 600 "$WORK/err"))"
    assert_eq 1 "$(wc -l <"$WORK/err")" "$3: stderr lines ($(head -c 600 "$WORK/err"))"
    grep -qE -- "$2" "$WORK/err" || fail "$3: stderr should match '$2': $(cat "$WORK/err")"
    if [[ $1 != 0 ]]; then
        [[ ! -s $WORK/out ]] || fail "$3: stdout must be empty"
        assert_no_token_in "$WORK/out"
    fi
    assert_no_token_in "$WORK/err"
}
