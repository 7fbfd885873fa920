#!/usr/bin/env bash
# The main job on the embedded sandbox: a fake Entra ID and a fake AKS API
# server on loopback, one device-code login with aks-token, then the
# preinstalled kubectl using that login through the exec plugin.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

[[ -x build/bin/aks-token && -x build/bin/fake-entra && -x build/bin/fake-apiserver ]] || scripts/setup.sh
cmake --build build -j"$(nproc)" >/dev/null

export AKS_BIN_DIR=$repo/build/bin AKS_SOURCE_DIR=$repo
source tests/integration/lib.sh
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Starting fake Entra ID and a fake AKS API server on loopback"
start_entra
start_apiserver
use_test_ca
set_login_flags
echo "identity provider: $ENTRA_URL   API server: $APISERVER_URL"
export KUBECONFIG=$WORK/kubeconfig
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

step "kubectl get pods (kubectl runs aks-token get-token; the token comes from the cache)"
kubectl get pods
step "kubectl auth whoami (the API server sees the Entra identity)"
kubectl auth whoami
before=$(entra_control counters | jq -c .)
step "kubectl get pods -A, version: three more kubectl runs"
kubectl get pods -A
kubectl version
after=$(entra_control counters | jq -c .)
[[ $before == "$after" ]] && echo "identity provider requests during those runs: 0 (every run was a cache hit)"

step "aks-token status (never shows the token)"
aks_token status --cache-dir "$CACHE_DIR"
step "Done; stopping the sandbox"
