#!/usr/bin/env bash
# The main job on the embedded sandbox: a fake Entra ID, a fake AKS API server
# and a fake Headlamp on loopback. One device-code sign-in with aks-token, then
# all three consumers share that one token: kubectl (exec plugin), scripts
# (`aks-token token | curl`, and a Python script through aks-proxy) and the
# Headlamp web UI through aks-proxy in headless Chromium (screenshot saved).
# The identity provider's request counter shows they needed no second sign-in.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

# ctest's e2e.test_demo runs this with AKS_BIN_DIR set: that build, as it is.
if [[ -z ${AKS_BIN_DIR:-} ]]; then
    [[ -x build/bin/aks-token && -x build/bin/fake-entra && -x build/bin/fake-apiserver &&
       -d tests/e2e/node_modules/playwright-core ]] || scripts/setup.sh
    cmake --build build -j"$(nproc)" >/dev/null
    export AKS_BIN_DIR=$repo/build/bin
fi
export AKS_SOURCE_DIR=$repo
source tests/integration/lib.sh
source tests/integration/proxy_lib.sh
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Starting fake Entra ID and a fake AKS API server on loopback"
start_entra
start_apiserver
use_test_ca
set_login_flags
echo "identity provider: $ENTRA_URL   API server: $APISERVER_URL"
export KUBECONFIG=$WORK/kubeconfig
KUBECONFIG_FILE=$KUBECONFIG
write_kubeconfig "$KUBECONFIG"
echo "kubeconfig user: exec aks-token get-token --login devicecode --tenant-id $TENANT ..."

step "aks-token login (device code; the sandbox plays the person at the sign-in page)"
aks_token login "${LOGIN_FLAGS[@]}" 2> >(tee "$WORK/login.err" >&2) &
login_pid=$!
for _ in $(seq 100); do
    code=$(entra_control pending | jq -r '.pending[0] // empty' 2>/dev/null || true)
    [[ -n $code ]] && break
    sleep 0.1
done
[[ -n ${code:-} ]] || fail "no device code was requested"
echo "(person) opens the verification page and enters $code"
curl -fsS --cacert "$PKI/ca.pem" -d "user_code=$code&action=approve" "$ENTRA_URL/devicelogin" >/dev/null
wait "$login_pid"
signed_in=$(entra_requests)

step "kubectl get pods (kubectl runs aks-token get-token; the token comes from the cache)"
kubectl get pods
step "kubectl auth whoami (the API server sees the Entra identity)"
kubectl auth whoami

step "A script with the bare token: curl -H \"Authorization: Bearer \$(aks-token token ...)\""
curl -fsS --cacert "$PKI/ca.pem" -H "Authorization: Bearer $(aks_token token "${LOGIN_FLAGS[@]}")" \
    "$APISERVER_URL/api/v1/namespaces/default/pods" | jq -r '.items[].metadata.name'

step "aks-proxy (like kubectl proxy, with the shared token) and a Python script that has no credentials"
start_proxy --quiet
echo "aks-proxy serves the API on $PROXY_URL"
python3 - "$PROXY_URL" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/api/v1/namespaces/default/pods") as r:
    pods = json.load(r)["items"]
print("python sees", len(pods), "pods:", ", ".join(p["metadata"]["name"] for p in pods))
PY
stop_api_proxy_pid=$PROXY_PID

step "Headlamp through aks-proxy --upstream, in headless Chromium"
start_fake_headlamp --in-cluster-context-name main
mkdir -p "$WORK/bin" "$WORK/runtime"
chmod 700 "$WORK/runtime"
# aks-proxy opens the launch page with $BROWSER; this "browser" notes the URL
# (a file:// page, so the launch secret is never on a command line).
printf '#!/usr/bin/env bash\nprintf "%%s\\n" "$1" >"%s"\n' "$WORK/opened" >"$WORK/bin/browser"
chmod +x "$WORK/bin/browser"
mv "$WORK/proxy.log" "$WORK/proxy-api.log"
XDG_RUNTIME_DIR=$WORK/runtime BROWSER=$WORK/bin/browser start_proxy --upstream "$HEADLAMP_URL" --quiet
wait_until "aks-proxy to open the browser" test -s "$WORK/opened"
echo "aks-proxy serves Headlamp on $PROXY_URL and opened $(cat "$WORK/opened")"
screenshot=$(cd "$AKS_BIN_DIR/.." && pwd)/demo/headlamp.png
mkdir -p "$(dirname "$screenshot")"
OPENED_URL=$(cat "$WORK/opened") PROXY_URL=$PROXY_URL SCREENSHOT=$screenshot \
    node tests/e2e/demo_headlamp.js >"$WORK/headlamp.json"
echo "Headlamp in Chromium lists $(jq -r .pods "$WORK/headlamp.json") pods, signed in with the same token"
kill "$stop_api_proxy_pid" 2>/dev/null || true

step "Identity-provider requests after the one sign-in"
after=$(entra_requests)
echo "sign-in: $signed_in requests; kubectl, curl, Python and Headlamp since then: $((after - signed_in))"
((after == signed_in)) || fail "the consumers asked the identity provider again"

step "aks-token status (never shows the token)"
aks_token status --cache-dir "$CACHE_DIR"
echo
echo "Screenshot of Headlamp through aks-proxy: $screenshot"
step "Done; stopping the sandbox"
