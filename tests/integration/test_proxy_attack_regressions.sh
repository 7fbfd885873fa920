#!/usr/bin/env bash
# Regression tests for the defects of issue #11, each as a hostile local
# process would try it, asserting what fake-apiserver RECEIVED (its request
# log), not only what the client was told:
#  1. Connection naming Content-Length smuggles the body as a second request
#     that the next request completes with the user's token;
#  2. a ~28,000-character path crashed the proxy (std::regex recursion);
#  3. after a 400 for bad framing the rest of the bytes were parsed and forwarded;
#  4. the head limit did not bound a head split over many reads (nor fields);
#  5. "//api/.../pods/x//exec" went past the default reject list;
#  6. spn/ropc secrets were echoed in the start-up hint, 401 bodies and -v.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
proxy_setup
proxy_login || fail "login failed"
start_proxy -v 2
POD=/api/v1/namespaces/default/pods/web-7d9c6b8f5d-4xk2p

# 1. Connection: keep-alive, Content-Length. The body is the start of a DELETE
# whose head the next request on the same connection (and so the same pooled
# upstream connection, with the proxy's Authorization) would complete.
m=$(upstream_mark)
smuggled="DELETE $POD HTTP/1.1\r\nX-Pad: "
out=$(raw_http --pause 0.5 -e "[b'POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive, Content-Length\r\nContent-Type: application/json\r\nContent-Length: ${#smuggled}\r\n\r\n$smuggled', b'GET /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n']" | tr '\n' ' ')
got=$(upstream_since "$m")
grep -q DELETE <<<"$got" && fail "a smuggled DELETE reached the API server: $got"
grep -q '^fake-apiserver: POST' <<<"$got" && fail "the request that named Content-Length in Connection was forwarded: $got"
assert_eq "400 closed " "$out" "answer to Connection: Content-Length"
pass "1. Connection cannot name Content-Length (400, closed, nothing forwarded)"

# 2. A 28,000-character path: answered (414), the proxy still serves.
m=$(upstream_mark)
long=$(head -c 28000 /dev/zero | tr '\0' a)
out=$(raw_http -e "b'GET /api/v1/namespaces/default/pods/$long HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'" | tr '\n' ' ')
kill -0 "$PROXY_PID" 2>/dev/null || fail "aks-proxy died on a long path"
assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' "$PROXY_URL/healthz")" "healthz after a long path"
assert_eq "" "$(upstream_since "$m")" "upstream requests for a 28,000-character path"
assert_eq "414 closed " "$out" "answer to a 28,000-character path"
pass "2. a 28,000-character path: 414, no crash"

# 3. A Transfer-Encoding other than chunked: 400, and the bytes after it are
# not parsed as a request of their own.
m=$(upstream_mark)
out=$(raw_http -e "b'POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: xchunked\r\n\r\nGET /api/v1/namespaces/default/pods/smuggled-after-400 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'" | tr '\n' ' ')
got=$(upstream_since "$m")
grep -q smuggled-after-400 <<<"$got" && fail "bytes after a framing error were forwarded: $got"
assert_eq "400 closed " "$out" "answer to Transfer-Encoding: xchunked"
pass "3. a framing error answers 400 and closes"

# 4. A head of ~48 KiB in 2 KiB writes, each ending one byte into the next
# field (Beast then keeps no partial line, so a per-read limit never sees more
# than one write), and a head of 150 small fields in one write.
m=$(upstream_mark)
out=$(raw_http --pause 0.02 -e "(lambda h, f: [h + f[0][:1]] + [f[i - 1][1:] + f[i][:1] for i in range(1, len(f))] + [f[-1][1:] + b'\r\n'])(b'GET /version?split-head HTTP/1.1\r\nHost: 127.0.0.1\r\n', [b''.join(b'X-F-%05d: vvvvvv\r\n' % (i * 100 + j) for j in range(100)) for i in range(24)])" | tr '\n' ' ')
assert_eq "431 closed " "$out" "answer to a 48 KiB head in many reads"
out=$(raw_http -e "b'GET /version?many-fields HTTP/1.1\r\nHost: 127.0.0.1\r\n' + b''.join(b'X-%d: 1\r\n' % i for i in range(150)) + b'\r\n'" | tr '\n' ' ')
assert_eq "431 closed " "$out" "answer to 150 fields"
assert_eq "" "$(upstream_since "$m")" "upstream requests for oversized heads"
# Refused before a request line was parsed: logged with "-" for method and path.
(($(grep -c '^aks-proxy: - - 431 ' "$WORK/proxy.log") >= 2)) || fail "431 refusals not in the access log: $(cat "$WORK/proxy.log")"
pass "4. the head limit bounds the whole head (bytes over many reads, fields), refusals logged"

# 5. Empty segments must not get past kubectl proxy's default reject list.
m=$(upstream_mark)
code=$(curl -s --path-as-is -o "$WORK/body" -w '%{http_code}' "$PROXY_URL/$POD//exec?command=id&stdout=true")
got=$(upstream_since "$m")
[[ -z $got ]] || fail "a non-canonical exec path reached the API server: $got"
assert_eq 400 "$code" "answer to //api/...//exec"
pass "5. //api/.../pods/x//exec refused before the filters"

# 5b. A bare LF inside a chunk extension's quoted string (second security
# review): the body is refused and the request never completes upstream.
m=$(upstream_mark)
raw_http --timeout 2 -e "b'POST /api/v1/namespaces/default/configmaps?bare-lf-ext HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n2;a=\"x\ny\"\r\n{}\r\n0\r\n\r\n'" >/dev/null || true
got=$(upstream_since "$m")
grep -q "bare-lf-ext" <<<"$got" && fail "a chunk extension with a bare LF was forwarded: $got"
pass "5b. a bare LF in a chunk extension: the body is refused"

# Sections 1-5 ran over the HTTP/2 upstream (and again over HTTP/1.1 as
# integration.http1.test_proxy_attack_regressions); a canonical request
# beside them reaches the API server with the path it was judged by.
m=$(upstream_mark)
assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' "$PROXY_URL/api/v1/namespaces/default/pods?canonical")" \
    "a canonical request"
grep -q '^fake-apiserver: GET /api/v1/namespaces/default/pods?canonical 200 ' <<<"$(upstream_since "$m")" ||
    fail "the canonical request did not reach the API server as sent: $(upstream_since "$m")"
assert_upstream_protocol "sections 1-5"

# 6. Secrets on the proxy's command line never come back: not in the start-up
# hint, not in 401 bodies, not in -v. (Each login fails on purpose, so the
# proxy starts without a token and shows the login command.)
secrets_proxy() {  # name, login flags...
    local name=$1
    shift
    : >"$WORK/$name.log"
    "$AKS_BIN_DIR/aks-proxy" --kubeconfig "$KUBECONFIG_FILE" --context fake-aks --port 0 --threads 1 -v 9 \
        --tenant-id "$TENANT" --server-id "$SERVER_ID" --authority-host "$ENTRA_URL" \
        --cache-dir "$WORK/cache-$name" "$@" </dev/null >>"$WORK/$name.log" 2>&1 &
    _pids+=($!)
    local pid=$! line="" i
    for ((i = 0; i < 200; i++)); do
        line=$(grep -m1 '^Starting to serve on ' "$WORK/$name.log" || true)
        [[ -n $line ]] && break
        kill -0 "$pid" 2>/dev/null || fail "aks-proxy ($name) exited: $(cat "$WORK/$name.log")"
        sleep 0.05
    done
    [[ -n $line ]] || fail "aks-proxy ($name) did not start"
    curl -s -o "$WORK/$name.401" -w '%{http_code}' "http://${line#Starting to serve on }/api/v1/namespaces" >"$WORK/$name.code"
    assert_eq 401 "$(cat "$WORK/$name.code")" "$name: request without a token"
    grep -q 'aks-token login' "$WORK/$name.401" || fail "$name: the 401 names no command: $(cat "$WORK/$name.401")"
    kill "$pid"
}
entra_control config '{"client_secret":"the-real-one","password":"not-this-one"}' >/dev/null
make_client_cert spn 'Pfx-Passw0rd-123'
secrets_proxy spn-secret --login spn --client-id 0b3c1d2e-7f6a-4b5c-9d8e-1a2b3c4d5e6f --client-secret 'Sup3r-S3cret-Value~xyz'
secrets_proxy spn-secret-eq --login spn --client-id 0b3c1d2e-7f6a-4b5c-9d8e-1a2b3c4d5e6f --client-secret='Sup3r-S3cret-Value~xyz'
secrets_proxy ropc --login ropc --client-id 0b3c1d2e-7f6a-4b5c-9d8e-1a2b3c4d5e6f --username alice@contoso.example --password 'Hunter2-Passw0rd'
secrets_proxy spn-cert --login spn --client-id 0b3c1d2e-7f6a-4b5c-9d8e-1a2b3c4d5e6f --client-certificate "$WORK/spn.pfx" \
    --client-certificate-password 'Pfx-Passw0rd-123'
for f in "$WORK"/spn-secret.* "$WORK"/spn-secret-eq.* "$WORK"/ropc.* "$WORK"/spn-cert.*; do
    if grep -Eq 'Sup3r-S3cret-Value|Hunter2-Passw0rd|Pfx-Passw0rd-123' "$f"; then
        fail "a secret is echoed in $(basename "$f"): $(grep -E 'Sup3r|Hunter2|Pfx-Passw0rd' "$f" | head -n 2)"
    fi
done
grep -q -- '--client-secret' "$WORK/spn-secret.401" || fail "the 401 should still name the flag: $(cat "$WORK/spn-secret.401")"
pass "6. secrets are redacted in the start-up hint, 401 bodies and -v"

kill -0 "$PROXY_PID" 2>/dev/null || fail "aks-proxy is not running at the end"
assert_no_token_in "$WORK/proxy.log"
