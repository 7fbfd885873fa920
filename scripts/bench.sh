#!/usr/bin/env bash
# Benchmarks (not tests). `scripts/bench.sh plugin`: the exec plugin's cache-hit
# path, the one kubectl pays on every run, against the preinstalled Go exec
# plugin gke-gcloud-auth-plugin (fed an unexpired token through its own cache
# file) and /bin/true, interleaved in one run. Prints medians, ratios and
# peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

usage() { echo "usage: scripts/bench.sh plugin [RUNS] | proxy [SECONDS]" >&2; exit 2; }
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

# wrk's summary → "requests/s p50_ms p99_ms"
wrk_figures() {
    awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /Requests\/sec:/ { rps = $2 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }'
}

# `scripts/bench.sh proxy`: one run against one fake-apiserver. wrk through
# aks-proxy, through the preinstalled `kubectl proxy` (static-token
# kubeconfig) and directly; then N idle watches through each (RSS, and the
# delay of one event fanned out to all); then bytes/s through a tunnel.
# The preinstalled kubectl proxy on a free port; sets KUBECTL_PROXY_PID and
# KUBECTL_PROXY_PORT (from its "Starting to serve on" line).
start_kubectl_proxy() {  # kubeconfig label [kubectl proxy flags...]
    local kubeconfig=$1 log=$WORK/kubectl-proxy-$2.log
    shift 2
    kubectl proxy --kubeconfig "$kubeconfig" --port 0 "$@" >"$log" 2>&1 &
    KUBECTL_PROXY_PID=$!
    _pids+=($KUBECTL_PROXY_PID)
    wait_until "kubectl proxy" grep -q '^Starting to serve on' "$log"
    KUBECTL_PROXY_PORT=$(sed -n 's/^Starting to serve on .*:\([0-9]*\)$/\1/p' "$log")
}

bench_proxy() {
    local seconds=${1:-10} build=${AKS_BUILD_DIR:-build}
    local watches=${AKS_BENCH_WATCHES:-5000}
    command -v wrk >/dev/null || { echo "bench: wrk is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
    command -v kubectl >/dev/null || { echo "bench: kubectl is not installed" >&2; exit 1; }
    [[ -x $build/bin/aks-proxy ]] || scripts/setup.sh >/dev/null
    cmake --build "$build" --target aks-proxy aks-token aks-token-full fake-entra fake-apiserver proxy-bench \
        -j"$(nproc)" >/dev/null
    ulimit -n "$(ulimit -Hn)"

    export AKS_BIN_DIR=$repo/$build/bin AKS_SOURCE_DIR=$repo
    source tests/integration/lib.sh
    source tests/integration/proxy_lib.sh
    proxy_setup
    proxy_login
    local token path=/api/v1/namespaces/default/pods
    token=$(aks_token token "${LOGIN_FLAGS[@]}")

    # The request-rate part runs against nginx serving the fake's pod list over
    # TLS (same CA), so that the upstream is not what is being measured.
    local nport
    nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    mkdir -p "$WORK/nginx/www/api/v1/namespaces/default" "$WORK/nginx/tmp"
    curl -fsS --cacert "$PKI/ca.pem" -H "Authorization: Bearer $token" "$APISERVER_URL$path" \
        >"$WORK/nginx/www$path"
    cat >"$WORK/nginx/nginx.conf" <<CONF
$([[ $(id -u) == 0 ]] && echo "user root;")
worker_processes 1;
daemon off;
error_log $WORK/nginx/error.log;
pid $WORK/nginx/nginx.pid;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/tmp; proxy_temp_path $WORK/nginx/tmp;
    fastcgi_temp_path $WORK/nginx/tmp; uwsgi_temp_path $WORK/nginx/tmp; scgi_temp_path $WORK/nginx/tmp;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$nport ssl;
        ssl_certificate $PKI/server.pem;
        ssl_certificate_key $PKI/server-key.pem;
        location / { root $WORK/nginx/www; default_type application/json; }
    }
}
CONF
    nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
    _pids+=($!)
    local nginx_url=https://127.0.0.1:$nport
    wait_until "nginx" curl -fsS -o /dev/null --cacert "$PKI/ca.pem" "$nginx_url$path"

    # aks-proxy and kubectl proxy (the same token as a static credential) in front of nginx.
    local fake_kubeconfig=$KUBECONFIG_FILE
    KUBECONFIG_FILE=$WORK/nginx.kubeconfig
    sed "s#server: $APISERVER_URL#server: $nginx_url#" "$fake_kubeconfig" >"$KUBECONFIG_FILE"
    start_proxy --quiet --threads "${AKS_BENCH_PROXY_THREADS:-$(nproc)}"
    local aks_url=$PROXY_URL
    cat >"$WORK/static.kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters: [{name: nginx, cluster: {server: "$nginx_url", certificate-authority: "$PKI/ca.pem"}}]
contexts: [{name: nginx, context: {cluster: nginx, user: static}}]
current-context: nginx
users: [{name: static, user: {token: "$token"}}]
YAML
    chmod 600 "$WORK/static.kubeconfig"
    start_kubectl_proxy "$WORK/static.kubeconfig" nginx
    local kport=$KUBECTL_PROXY_PORT

    echo "proxy benchmark: GET $path (a 3-pod list from nginx over TLS), wrk 1 thread, 32 connections, ${seconds}s each; $(nproc) cores, $(uname -r)"
    local a k d
    a=$(wrk -t1 -c32 -d"${seconds}s" --latency "$aks_url$path" | wrk_figures)
    k=$(wrk -t1 -c32 -d"${seconds}s" --latency "http://127.0.0.1:$kport$path" | wrk_figures)
    d=$(wrk -t1 -c32 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$nginx_url$path" | wrk_figures)
    printf '%-22s %12s %10s %10s\n' "" "requests/s" "p50 ms" "p99 ms"
    printf '%-22s %12s %10s %10s\n' "aks-proxy" $a
    printf '%-22s %12s %10s %10s\n' "kubectl proxy" $k
    printf '%-22s %12s %10s %10s\n' "direct (TLS + token)" $d
    read -r ar _ ap99 <<<"$a"
    read -r kr _ kp99 <<<"$k"
    read -r dr _ _ <<<"$d"
    awk -v a="$ar" -v k="$kr" -v d="$dr" -v ap="$ap99" -v kp="$kp99" 'BEGIN {
        printf "aks-proxy / kubectl proxy: %.2fx requests/s, p99 %.2f vs %.2f ms\n", a / k, ap, kp
        printf "aks-proxy / direct: %.2fx requests/s (%.0f%% overhead)\n", a / d, (1 - a / d) * 100 }'

    # Watches and the tunnel need the fake (events, upgrades): aks-proxy and
    # kubectl proxy in front of it, and the fake directly (TLS + token) as the
    # floor: what the fake and the bench client cost without any proxy.
    KUBECONFIG_FILE=$fake_kubeconfig
    start_proxy --quiet --reject-paths '^$'
    sed "s#server: \"$nginx_url\"#server: \"$APISERVER_URL\"#" "$WORK/static.kubeconfig" >"$WORK/static-fake.kubeconfig"
    chmod 600 "$WORK/static-fake.kubeconfig"
    start_kubectl_proxy "$WORK/static-fake.kubeconfig" fake --reject-paths '^$'
    local kpid=$KUBECTL_PROXY_PID kfport=$KUBECTL_PROXY_PORT
    local aport=${APISERVER_URL##*:}

    local emit="curl -fsS --cacert $PKI/ca.pem -H 'Content-Type: application/json' -d '{\"type\":\"ADDED\",\"name\":\"bench-event-pod\",\"namespace\":\"default\"}' $APISERVER_URL/_control/emit >/dev/null"
    local wpath="$path?watch=true&resourceVersion=1"
    echo
    echo "$watches idle watches (GET $wpath), then one event emitted to all of them:"
    watch_run() {  # label port pid [env...]
        local label=$1 port=$2 pid=$3
        shift 3
        echo "$label:"
        env "$@" "$AKS_BIN_DIR/proxy-bench" watches "$port" "$watches" "$wpath" "$pid" "$emit" |
            sed 's/^/  /' | tee "$WORK/watch-$label.txt" || echo "  bench: not every watch got the event"
    }
    watch_run aks-proxy "$PROXY_PORT" "$PROXY_PID"
    watch_run kubectl-proxy "$kfport" "$kpid"
    watch_run direct "$aport" - AKS_BENCH_TLS_CA="$PKI/ca.pem" AKS_BENCH_TOKEN="$token"
    awk '
        FNR == 1 { f++ }
        /RSS/ { rss[f] = $7 }
        /event delivered/ { for (i = 1; i <= NF; i++) if ($i == "p99") p99[f] = $(i + 1) + 0 }
        END {
            printf "aks-proxy / kubectl proxy: RSS %.2fx, event p99 %.2fx; event p99 aks-proxy %.1f ms, kubectl proxy %.1f ms, direct (no proxy, the client does TLS) %.1f ms\n",
                rss[1] / rss[2], p99[1] / p99[2], p99[1], p99[2], p99[3] }' \
        "$WORK/watch-aks-proxy.txt" "$WORK/watch-kubectl-proxy.txt" "$WORK/watch-direct.txt"

    local bytes=$((4 * 1024 * 1024 * 1024))
    echo
    echo "bytes/s through an upgraded connection (the fake sends $bytes bytes after its 101):"
    printf '  %-14s ' aks-proxy; "$AKS_BIN_DIR/proxy-bench" tunnel "$PROXY_PORT" "$bytes" || echo "bench: tunnel incomplete"
    printf '  %-14s ' "kubectl proxy"; "$AKS_BIN_DIR/proxy-bench" tunnel "$kfport" "$bytes" || echo "bench: tunnel incomplete"
    printf '  %-14s ' direct
    AKS_BENCH_TLS_CA="$PKI/ca.pem" AKS_BENCH_TOKEN="$token" "$AKS_BIN_DIR/proxy-bench" tunnel "$aport" "$bytes" ||
        echo "bench: tunnel incomplete"
}

case $1 in
    plugin) shift; bench_plugin "$@" ;;
    proxy) shift; bench_proxy "$@" ;;
    *) usage ;;
esac
