#!/usr/bin/env bash
# Benchmarks (not tests). `scripts/bench.sh plugin`: the exec plugin's cache-hit
# path, the one kubectl pays on every run, against the preinstalled Go exec
# plugin gke-gcloud-auth-plugin (fed an unexpired token through its own cache
# file) and /bin/true, interleaved in one run. Prints medians, ratios and
# peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

usage() { echo "usage: scripts/bench.sh plugin [RUNS]" >&2; exit 2; }
(($# >= 1)) || usage

bench_plugin() {
    local runs=${1:-300}
    local gke=/usr/lib/google-cloud-sdk/bin/gke-gcloud-auth-plugin
    [[ -x $gke ]] || { echo "bench: $gke is not installed" >&2; exit 1; }
    [[ -x build/bin/aks-token ]] || scripts/setup.sh >/dev/null
    cmake --build build --target exec-bench fake-entra aks-token aks-token-full -j"$(nproc)" >/dev/null

    # A real device-code login against fake-entra fills the cache.
    export AKS_BIN_DIR=$repo/build/bin AKS_SOURCE_DIR=$repo
    source tests/integration/lib.sh
    start_entra
    use_test_ca
    set_login_flags
    entra_control config '{"auto_approve_after":0,"interval":0}' >/dev/null
    aks_token login "${LOGIN_FLAGS[@]}" 2>/dev/null

    # gke-gcloud-auth-plugin's own cache sits next to the kubeconfig.
    local gke_dir=$WORK/gke
    mkdir -p "$gke_dir"
    cat >"$gke_dir/config" <<YAML
apiVersion: v1
kind: Config
clusters: [{name: bench, cluster: {server: "https://127.0.0.1:1"}}]
contexts: [{name: bench, context: {cluster: bench, user: bench}}]
current-context: bench
users: [{name: bench, user: {token: unused}}]
YAML
    local expiry
    expiry=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
    printf '{"current_context":"bench","access_token":"ya29.bench","token_expiry":"%s","extra_args":""}\n' \
        "$expiry" >"$gke_dir/gke_gcloud_auth_plugin_cache"

    local exec_info='{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}'
    echo "exec plugin cache hit, $runs interleaved runs each ($(nproc) cores, $(uname -r))"
    build/bin/exec-bench "$runs" \
        /bin/true /bin/true :: \
        "aks-token get-token" "KUBERNETES_EXEC_INFO=$exec_info" "$repo/build/bin/aks-token" get-token "${LOGIN_FLAGS[@]}" :: \
        gke-gcloud-auth-plugin "KUBECONFIG=$gke_dir/config" "KUBERNETES_EXEC_INFO=$exec_info" "$gke" |
        tee "$WORK/plugin.txt"
    # The two targets as one line each: vs /bin/true, and vs the Go plugin.
    awk '/^\/bin\/true /{t=$2} /^aks-token /{a=$3; rss=$NF} /^gke-gcloud-auth-plugin /{g=$2}
         END {printf "aks-token cache hit: %.2fx /bin/true (target <= 1.5x), %.2fx faster than gke-gcloud-auth-plugin (target >= 4x), peak RSS %.1f MiB (target < 5 MiB)\n", a/t, g/a, rss/1024}' \
        "$WORK/plugin.txt"
}

case $1 in
    plugin) shift; bench_plugin "$@" ;;
    *) usage ;;
esac
