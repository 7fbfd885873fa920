#!/usr/bin/env bash
# Self-test of fake-apiserver on loopback: token checks (401), allow lists
# (403), discovery, pods, Table output, counters, and the preinstalled kubectl.
# Usage: selftest.sh [path/to/fake-apiserver]   (default: $AKS_BIN_DIR/fake-apiserver)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-${AKS_BIN_DIR:-$here/../../../build/bin}/fake-apiserver}
[[ -x $bin ]] || { echo "selftest: no executable at $bin" >&2; exit 2; }

tmp=$(mktemp -d)
pid=
cleanup() {
    [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

tenant=72f988bf-86f1-41af-91ab-2d7cd011db47
audience=6dae42f8-4368-4678-94ff-3960e28e3630
bash "$here/../make-pki.sh" "$tmp/pki"
node "$here/mint-token.js" keygen "$tmp"
mint() { TENANT=$tenant node "$here/mint-token.js" sign "$tmp" "$@"; }

"$bin" --cert "$tmp/pki/server.pem" --key "$tmp/pki/server-key.pem" --jwks-file "$tmp/jwks.json" \
    --issuer https://example.invalid/ --issuer "https://sts.windows.net/$tenant/" \
    --audience "$audience" --allow-group g-readers --port-file "$tmp/port" 2>"$tmp/server.log" &
pid=$!
for _ in $(seq 100); do [[ -s $tmp/port ]] && break; sleep 0.1; done
[[ -s $tmp/port ]] || { echo "selftest: server did not start" >&2; cat "$tmp/server.log" >&2; exit 1; }
base=https://127.0.0.1:$(cat "$tmp/port")

failures=0
check() {  # check DESCRIPTION EXPECTED ACTUAL
    if [[ $2 == "$3" ]]; then echo "ok   $1"; else echo "FAIL $1: expected [$2], got [$3]"; failures=$((failures + 1)); fi
}
code() {  # code TOKEN PATH [curl args...]: HTTP status
    local token=$1 path=$2; shift 2
    curl -sS --cacert "$tmp/pki/ca.pem" -o /dev/null -w '%{http_code}' \
        ${token:+-H "Authorization: Bearer $token"} "$@" "$base$path"
}
body() {
    local token=$1 path=$2; shift 2
    curl -sS --cacert "$tmp/pki/ca.pem" ${token:+-H "Authorization: Bearer $token"} "$@" "$base$path"
}

now=$(date +%s)
reader=$(mint '{"groups":["x","g-readers"]}')
alice=$(mint '{}')
curl -sS --cacert "$tmp/pki/ca.pem" -X POST "$base/_control/reset" >/dev/null

check "healthz without token" 200 "$(code '' /healthz)"
check "no token" 401 "$(code '' /api/v1/namespaces/default/pods)"
check "expired" 401 "$(code "$(mint "{\"exp\":$((now - 5))}")" /version)"
check "nbf beyond skew" 401 "$(code "$(mint "{\"nbf\":$((now + 600))}")" /version)"
check "wrong audience" 401 "$(code "$(mint '{"aud":"other"}')" /version)"
check "wrong issuer" 401 "$(code "$(mint '{"iss":"https://evil/"}')" /version)"
check "alg none" 401 "$(code "$(mint '{}' '{"alg":"none"}')" /version)"
check "unknown kid" 401 "$(code "$(mint '{}' '{"kid":"other"}')" /version)"
check "tampered payload" 401 "$(code "$(echo "$reader" | awk -F. '{print $1"."$2"A."$3}')" /version)"
check "second issuer, audience array" 200 \
    "$(code "$(mint "{\"iss\":\"https://example.invalid/\",\"aud\":[\"x\",\"$audience\"]}")" /version)"
check "discovery for any user" 200 "$(code "$alice" /api/v1)"
check "pods for a non-member" 403 "$(code "$alice" /api/v1/namespaces/default/pods)"
check "pods for a group member" 200 "$(code "$reader" /api/v1/namespaces/default/pods)"
check "unknown path" 404 "$(code "$reader" /api/v1/widgets)"
check "counters" '{"authorized":4,"forbidden":1,"requests":14,"unauthorized":8}' \
    "$(body '' /_control/counters)"

check "401 body" '{"apiVersion":"v1","code":401,"kind":"Status","message":"Unauthorized","metadata":{},"reason":"Unauthorized","status":"Failure"}' \
    "$(body '' /version)"
check "403 message" 'pods is forbidden: User "alice@contoso.com" cannot list resource "pods" in API group "" in the namespace "default"' \
    "$(body "$alice" /api/v1/namespaces/default/pods | node -pe 'JSON.parse(require("fs").readFileSync(0)).message')"
check "pod list" "PodList 3" \
    "$(body "$reader" /api/v1/namespaces/default/pods | node -pe 'const l=JSON.parse(require("fs").readFileSync(0)); l.kind+" "+l.items.length')"
check "table" "Table Name,Ready,Status,Restarts,Age" \
    "$(body "$reader" /api/v1/pods -H 'Accept: application/json;as=Table;v=v1;g=meta.k8s.io,application/json' |
        node -pe 'const t=JSON.parse(require("fs").readFileSync(0)); t.kind+" "+t.columnDefinitions.filter(c=>!c.priority).map(c=>c.name)')"
check "version" "v1.32.4" "$(body "$reader" /version | node -pe 'JSON.parse(require("fs").readFileSync(0)).gitVersion')"

if command -v kubectl >/dev/null; then
    export HOME=$tmp/home  # kubectl's discovery cache
    k() { kubectl --server "$base" --certificate-authority "$tmp/pki/ca.pem" "$@" 2>&1; }
    check "kubectl get pods" 4 "$(k --token "$reader" get pods | wc -l | tr -d ' ')"
    check "kubectl version" "Server Version: v1.32.4" "$(k --token "$reader" version | grep Server)"
    check "kubectl auth whoami" "Username     alice@contoso.com" "$(k --token "$alice" auth whoami | grep Username)"
    check "kubectl forbidden" 'Error from server (Forbidden): pods is forbidden: User "alice@contoso.com" cannot list resource "pods" in API group "" in the namespace "default"' \
        "$(k --token "$alice" get pods)"
fi

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
check "exit 0 on SIGTERM" 0 "$status"
if ((failures)); then
    echo "selftest: $failures check(s) failed; server log:" >&2
    cat "$tmp/server.log" >&2
    exit 1
fi
echo "selftest: all checks passed"
