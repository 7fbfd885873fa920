#!/usr/bin/env bash
# Benchmarks (not tests). `scripts/bench.sh plugin`: the exec plugin's cache-hit
# path, the one kubectl pays on every run, against the preinstalled Go exec
# plugin gke-gcloud-auth-plugin (fed an unexpired token through its own cache
# file) and /bin/true, interleaved in one run. Prints medians, ratios and
# peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

usage() { echo "usage: scripts/bench.sh plugin [RUNS] | proxy [SECONDS [ROUNDS]]" >&2; exit 2; }
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

# wrk's summary → "requests/s p50_ms p99_ms requests"
wrk_figures() {
    awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /Requests\/sec:/ { rps = $2 }
        / requests in / { n = $1 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, n }'
}

# CPU time (user + system) a process has used, in clock ticks, from /proc:
# the figure does not depend on how many cores wrk or the upstream get.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# One wrk run; prints "requests/s p50 p99 cpu_us_per_request rss_mib
# upstream_cpu_us_per_request" (the proxy's two "-" without a proxy process;
# the last is nginx's own CPU per request, from NGINX_WORKER_PID).
wrk_run() {  # seconds url pid [wrk args...]
    local seconds=$1 url=$2 pid=$3
    shift 3
    local t0 t1 u0 u1 figures rps p50 p99 n
    [[ $pid != - ]] && t0=$(cpu_ticks "$pid")
    u0=$(cpu_ticks "$NGINX_WORKER_PID")
    figures=$(wrk -t1 -c32 -d"${seconds}s" --latency "$@" "$url" | wrk_figures)
    read -r rps p50 p99 n <<<"$figures"
    u1=$(cpu_ticks "$NGINX_WORKER_PID")
    [[ $pid != - ]] && t1=$(cpu_ticks "$pid")
    awk -v rps="$rps" -v p50="$p50" -v p99="$p99" -v n="$n" -v hz="$(getconf CLK_TCK)" -v pid="$pid" \
        -v t1="${t1:-0}" -v t0="${t0:-0}" -v du=$((u1 - u0)) -v rss="$([[ $pid != - ]] && rss_kib "$pid")" '
        BEGIN {
            if (pid == "-") printf "%s %s %s - - %.1f\n", rps, p50, p99, du / hz * 1e6 / n
            else printf "%s %s %s %.1f %.1f %.1f\n", rps, p50, p99, (t1 - t0) / hz * 1e6 / n, rss / 1024, du / hz * 1e6 / n
        }'
}

# `scripts/bench.sh proxy`: one run, every figure a ratio against the direct
# path or kubectl proxy measured in the same run (targets: issue #16).
# The preinstalled kubectl proxy on a free port; sets KUBECTL_PROXY_PID and
# KUBECTL_PROXY_PORT (from its "Starting to serve on" line).
start_kubectl_proxy() {  # kubeconfig label [kubectl proxy flags...]
    local kubeconfig=$1 log=$WORK/kubectl-proxy-$2.log
    shift 2
    : >"$log"
    kubectl proxy --kubeconfig "$kubeconfig" --port 0 "$@" >"$log" 2>&1 &
    KUBECTL_PROXY_PID=$!
    _pids+=($KUBECTL_PROXY_PID)
    wait_until "kubectl proxy" grep -q '^Starting to serve on' "$log"
    KUBECTL_PROXY_PORT=$(sed -n 's/^Starting to serve on .*:\([0-9]*\)$/\1/p' "$log")
}

bench_proxy() {
    local seconds=${1:-10} build=${AKS_BUILD_DIR:-build}
    local watches=${AKS_BENCH_WATCHES:-5000} threads=${AKS_BENCH_PROXY_THREADS:-$(nproc)}
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
    # TLS, HTTP/2 and HTTP/1.1 by ALPN (same CA), so that the upstream is not
    # what is being measured.
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
    http2_max_concurrent_streams 1000;
    server {
        listen 127.0.0.1:$nport ssl http2;
        ssl_certificate $PKI/server.pem;
        ssl_certificate_key $PKI/server-key.pem;
        # TLS 1.3, as kube-apiserver (Go) speaks it; nginx 1.22 offers at
        # most TLS 1.2 unless told. Ciphers in Go's server order, as
        # fake-apiserver has them (tests/fakes/fake-apiserver/tls_context.cpp):
        # AES-128-GCM whatever the client's order, ChaCha20 when it leads.
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_prefer_server_ciphers on;
        ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA;
        ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;
        ssl_conf_command Options PrioritizeChaCha;
        location / { root $WORK/nginx/www; default_type application/json; }
    }
}
CONF
    nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
    local nginx_master=$!
    _pids+=($nginx_master)
    local nginx_url=https://127.0.0.1:$nport
    wait_until "nginx" curl -fs -o /dev/null --cacert "$PKI/ca.pem" "$nginx_url$path"
    # Its one worker serves every request: its CPU per request is what the
    # same request costs a C server with one socket, for scale.
    NGINX_WORKER_PID=$(pgrep -P "$nginx_master" | head -1)

    # aks-proxy (HTTP/2 and HTTP/1.1 upstream) and kubectl proxy (the same
    # token as a static credential; Go speaks HTTP/2 to nginx) in front of nginx.
    local fake_kubeconfig=$KUBECONFIG_FILE
    KUBECONFIG_FILE=$WORK/nginx.kubeconfig
    sed "s#server: $APISERVER_URL#server: $nginx_url#" "$fake_kubeconfig" >"$KUBECONFIG_FILE"
    start_proxy --quiet --threads "$threads"
    local a2_url=$PROXY_URL a2_pid=$PROXY_PID
    start_proxy --quiet --threads "$threads" --upstream-http1
    local a1_url=$PROXY_URL a1_pid=$PROXY_PID
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
    local kport=$KUBECTL_PROXY_PORT kpid=$KUBECTL_PROXY_PID

    echo "proxy benchmark: GET $path (a 3-pod list from nginx over TLS), wrk 1 thread, 32 connections, ${seconds}s each;"
    echo "aks-proxy --threads $threads; $(nproc) cores, $(uname -r); TLS 1.3 cipher: nginx $(tls_cipher "$nport"), fake-apiserver $(tls_cipher "$APISERVER_PORT")"
    local a2 a1 k d
    a2=$(wrk_run "$seconds" "$a2_url$path" "$a2_pid")
    a1=$(wrk_run "$seconds" "$a1_url$path" "$a1_pid")
    k=$(wrk_run "$seconds" "http://127.0.0.1:$kport$path" "$kpid")
    d=$(wrk_run "$seconds" "$nginx_url$path" - -H "Authorization: Bearer $token")
    local row='%-30s %11s %8s %8s %12s %9s %18s\n'
    printf "$row" "" "requests/s" "p50 ms" "p99 ms" "CPU µs/req" "RSS MiB" "nginx CPU µs/req"
    printf "$row" "aks-proxy, HTTP/2 upstream" $a2
    printf "$row" "aks-proxy, HTTP/1.1 upstream" $a1
    printf "$row" "kubectl proxy" $k
    printf "$row" "direct (TLS + token)" $d
    echo "$a2" >"$WORK/r-a2"
    echo "$a1" >"$WORK/r-a1"
    echo "$k" >"$WORK/r-k"
    echo "$d" >"$WORK/r-d"

    # Watches and the tunnel need the fake (events, upgrades): aks-proxy and
    # kubectl proxy in front of it, and the fake directly (TLS + token) as the
    # floor: what the fake and the bench client cost without any proxy.
    kill "$a2_pid" "$a1_pid" "$kpid" 2>/dev/null || true
    KUBECONFIG_FILE=$fake_kubeconfig
    start_proxy --quiet --reject-paths '^$'
    local w2_port=$PROXY_PORT w2_pid=$PROXY_PID
    start_proxy --quiet --reject-paths '^$' --upstream-http1
    local w1_port=$PROXY_PORT w1_pid=$PROXY_PID
    sed "s#server: \"$nginx_url\"#server: \"$APISERVER_URL\"#" "$WORK/static.kubeconfig" >"$WORK/static-fake.kubeconfig"
    chmod 600 "$WORK/static-fake.kubeconfig"
    start_kubectl_proxy "$WORK/static-fake.kubeconfig" fake --reject-paths '^$'
    local kfpid=$KUBECTL_PROXY_PID kfport=$KUBECTL_PROXY_PORT
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
        # The watches end with the bench client; let the server see them go.
        sleep 2
    }
    watch_run aks-proxy-h2 "$w2_port" "$w2_pid"
    watch_run aks-proxy-http1 "$w1_port" "$w1_pid"
    watch_run kubectl-proxy "$kfport" "$kfpid"
    watch_run direct "$aport" - AKS_BENCH_TLS_CA="$PKI/ca.pem" AKS_BENCH_TOKEN="$token"

    local bytes=$((4 * 1024 * 1024 * 1024))
    echo
    echo "bytes/s through an upgraded connection (the fake sends $bytes bytes after its 101; upgrades are HTTP/1.1):"
    # CPU seconds per GiB of the fake (encrypting, sending) and of the proxy
    # (receiving, decrypting, sending again) next to the client's own.
    tunnel_run() {  # label port pid [env...]
        local label=$1 port=$2 pid=$3 f0 f1 p0 p1
        shift 3
        printf '  %-14s ' "$label"
        f0=$(cpu_ticks "$APISERVER_PID")
        [[ $pid != - ]] && p0=$(cpu_ticks "$pid")
        env "$@" "$AKS_BIN_DIR/proxy-bench" tunnel "$port" "$bytes" | tee "$WORK/tunnel-$label.txt" ||
            echo "bench: tunnel incomplete"
        f1=$(cpu_ticks "$APISERVER_PID")
        [[ $pid != - ]] && p1=$(cpu_ticks "$pid")
        awk -v f=$((f1 - f0)) -v p="${p1:+$((p1 - p0))}" -v hz="$(getconf CLK_TCK)" -v gib=$((bytes >> 30)) '
            BEGIN { printf "  %-14s CPU s/GiB: fake-apiserver %.2f", "", f / hz / gib
                    if (p != "") printf ", proxy %.2f", p / hz / gib
                    printf "\n" }' | tee -a "$WORK/tunnel-$label.txt"
    }
    tunnel_run aks-proxy "$w2_port" "$w2_pid"
    tunnel_run kubectl-proxy "$kfport" "$kfpid"
    tunnel_run direct "$aport" - AKS_BENCH_TLS_CA="$PKI/ca.pem" AKS_BENCH_TOKEN="$token"

    echo
    echo "against the targets (issue #16; ratios of this run):"
    awk -v ratios="${AKS_BENCH_RATIOS:-}" -v a2="$(cat "$WORK/r-a2")" -v a1="$(cat "$WORK/r-a1")" -v k="$(cat "$WORK/r-k")" -v d="$(cat "$WORK/r-d")" '
        function field(s, i,   f) { split(s, f, " "); return f[i] }
        function verdict(ok) { return ok ? "met" : "NOT met" }
        BEGIN {
            cpu = field(a2, 4) / field(k, 4); p99 = field(a2, 3) / field(d, 3); rps = field(a2, 1) / field(k, 1)
            printf "  CPU per request: %.1f µs vs kubectl proxy %.1f µs = %.2fx (target <= 0.15x): %s; HTTP/1.1 upstream %.1f µs = %.2fx\n",
                field(a2, 4), field(k, 4), cpu, verdict(cpu <= 0.15), field(a1, 4), field(a1, 4) / field(k, 4)
            printf "    for scale: nginx spends %.1f µs on the same request served directly (one TLS socket, a static file): aks-proxy %.2fx nginx, the target %.1f µs = %.2fx nginx\n",
                field(d, 6), field(a2, 4) / field(d, 6), 0.15 * field(k, 4), 0.15 * field(k, 4) / field(d, 6)
            printf "  p99: %.2f ms vs direct %.2f ms = %.2fx (target <= 1.5x): %s\n", field(a2, 3), field(d, 3), p99, verdict(p99 <= 1.5)
            printf "  requests/s: %.2fx kubectl proxy (target >= 3x): %s\n", rps, verdict(rps >= 3)
            if (ratios != "") {
                printf "cpu %.4f\ncpu_us %.1f\nkubectl_cpu_us %.1f\np99 %.4f\nrps %.4f\n", cpu, field(a2, 4), field(k, 4), p99, rps >>ratios
                printf "cpu_http1 %.4f\nnginx_cpu_us %.1f\n", field(a1, 4) / field(k, 4), field(d, 6) >>ratios
            }
        }'
    awk -v ratios="${AKS_BENCH_RATIOS:-}" -v n="$watches" '
        FNR == 1 { f++ }
        /RSS/ { for (i = 1; i <= NF; i++) if ($i == "RSS") rss[f] = $(i + 1) }
        /grew/ { for (i = 1; i <= NF; i++) if ($i == "grew") grow[f] = $(i + 1) }
        /event delivered/ { for (i = 1; i <= NF; i++) if ($i == "p99") p99[f] = $(i + 1) + 0 }
        END {
            per = rss[1] * 1024 / n
            printf "  memory per idle watch: %.1f KiB (RSS %.1f MiB / %d; %.1f KiB over the idle proxy), HTTP/1.1 upstream %.1f KiB, kubectl proxy %.1f KiB (target <= 5 KiB): %s\n",
                per, rss[1], n, grow[1], rss[2] * 1024 / n, rss[3] * 1024 / n, (per <= 5) ? "met" : "NOT met"
            printf "  event to %d watches, p99: aks-proxy %.1f ms, direct %.1f ms = %+.0f%% (target <= +10%%): %s; HTTP/1.1 upstream %.1f ms, kubectl proxy %.1f ms\n",
                n, p99[1], p99[4], (p99[1] / p99[4] - 1) * 100, (p99[1] <= 1.1 * p99[4]) ? "met" : "NOT met", p99[2], p99[3]
            if (ratios != "") printf "watch_kib %.2f\nevent_p99 %.4f\n", per, p99[1] / p99[4] >>ratios
        }' "$WORK/watch-aks-proxy-h2.txt" "$WORK/watch-aks-proxy-http1.txt" "$WORK/watch-kubectl-proxy.txt" \
        "$WORK/watch-direct.txt"
    awk -v ratios="${AKS_BENCH_RATIOS:-}" '
        FNR == 1 { f++ }
        { for (i = 1; i <= NF; i++) {
              if ($i == "GB/s") gbs[f] = $(i - 1)
              if ($i == "in" && $(i + 2) == "s:") rate[f] = $(i - 4) / $(i + 1)
              if ($i == "client" && $(i + 1) == "CPU") client[f] = $(i + 2) + 0
              if ($i == "fake-apiserver") fake[f] = $(i + 1) + 0
              if ($i == "proxy" && $(i + 1) ~ /^[0-9.]+$/) proxy[f] = $(i + 1) + 0 } }
        END { t = rate[1] / rate[3]  # from bytes and seconds, not the rounded GB/s
              printf "  tunnel: %.2f GB/s vs direct %.2f GB/s = %.3fx (target >= 0.9x): %s; kubectl proxy %.2f GB/s\n",
                  gbs[1], gbs[3], t, (t >= 0.9) ? "met" : "NOT met", gbs[2]
              printf "    CPU s/GiB: direct = fake %.2f + client over TLS %.2f; through aks-proxy = fake %.2f + proxy %.2f + client over TCP %.2f (%.2fx the direct total)\n",
                  fake[3], client[3], fake[1], proxy[1], client[1], (fake[1] + proxy[1] + client[1]) / (fake[3] + client[3])
              if (ratios != "") printf "tunnel %.4f\ntunnel_cpu %.4f\n", t, (fake[1] + proxy[1] + client[1]) / (fake[3] + client[3]) >>ratios }' \
        "$WORK/tunnel-aks-proxy.txt" "$WORK/tunnel-kubectl-proxy.txt" "$WORK/tunnel-direct.txt"
}

# `scripts/bench.sh proxy SECONDS ROUNDS`: the whole run ROUNDS times, each a
# fresh process with fresh servers, then each ratio's median and range. On two
# shared cores one round's ratio can differ from the next one's by a third
# (the tunnel's and the event delivery's verdicts flip between rounds), so a
# verdict is taken on the median. A round that fails, or in which a watch or
# the tunnel did not complete, is left out, and the exit status says so.
bench_proxy_rounds() {  # seconds rounds
    local seconds=$1 rounds=$2 dir r complete=0 problem
    dir=$(mktemp -d "${TMPDIR:-/tmp}/aks-bench-XXXXXX")
    echo "proxy benchmark, $rounds rounds of ${seconds}s runs; each round's output in $dir/round-N.txt"
    for ((r = 1; r <= rounds; r++)); do
        problem=
        AKS_BENCH_RATIOS=$dir/ratios-$r "$repo/scripts/bench.sh" proxy "$seconds" >"$dir/round-$r.txt" 2>&1 ||
            problem="failed"
        [[ -z $problem ]] && problem=$(grep -m1 '^ *bench:' "$dir/round-$r.txt" | sed 's/^ *//') || true
        if [[ -n $problem ]]; then
            [[ -f $dir/ratios-$r ]] && mv "$dir/ratios-$r" "$dir/left-out-$r"
            echo "  round $r: $problem; left out (see $dir/round-$r.txt)"
            continue
        fi
        complete=$((complete + 1))
        awk -v r="$r" '{ v[$1] = $2 }
            END { printf "  round %d: CPU/request %.3fx kubectl proxy, p99 %.3fx direct, requests/s %.3fx kubectl proxy, %.2f KiB per watch, event p99 %.3fx direct, tunnel %.3fx direct\n",
                      r, v["cpu"], v["p99"], v["rps"], v["watch_kib"], v["event_p99"], v["tunnel"] }' "$dir/ratios-$r"
    done
    ((complete > 0)) || { echo "bench: no round completed" >&2; exit 1; }
    echo
    echo "against the targets (issue #16): median of $complete rounds (lowest - highest)"
    awk '
        { n[$1]++; v[$1, n[$1]] = $2 }
        function sorted(key,   i, j, t) {  # into s[1..n[key]]
            for (i = 1; i <= n[key]; i++) s[i] = v[key, i]
            for (i = 2; i <= n[key]; i++) for (j = i; j > 1 && s[j - 1] > s[j]; j--) { t = s[j]; s[j] = s[j - 1]; s[j - 1] = t }
        }
        function median(key,   m) {
            if (!n[key]) { print "bench: no figure for " key > "/dev/stderr"; exit 1 }
            sorted(key); m = n[key]; return m % 2 ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
        }
        function row(label, key, unit, target, at_most, limit,   med) {
            med = median(key)
            printf "  %-38s %8.3f%-4s (%.3f - %.3f)  target %s: %s\n", label, med, unit, s[1], s[n[key]], target,
                (at_most ? med <= limit : med >= limit) ? "met" : "NOT met"
        }
        END {
            row("CPU per request vs kubectl proxy", "cpu", "x", "<= 0.15x", 1, 0.15)
            printf "  %-38s %8.1f µs, kubectl proxy %.1f µs, HTTP/1.1 upstream %.3fx, nginx serving it directly %.1f µs\n",
                "", median("cpu_us"), median("kubectl_cpu_us"), median("cpu_http1"), median("nginx_cpu_us")
            row("p99 vs direct", "p99", "x", "<= 1.5x", 1, 1.5)
            row("requests/s vs kubectl proxy", "rps", "x", ">= 3x", 0, 3)
            row("memory per idle watch", "watch_kib", " KiB", "<= 5 KiB", 1, 5)
            row("event to every watch, p99 vs direct", "event_p99", "x", "<= 1.1x", 1, 1.1)
            row("tunnel bytes/s vs direct", "tunnel", "x", ">= 0.9x", 0, 0.9)
            printf "  %-38s %8.3fx the direct path'"'"'s CPU per GiB (all processes)\n", "", median("tunnel_cpu")
        }' "$dir"/ratios-*
    ((complete == rounds)) || { echo "bench: $((rounds - complete)) of $rounds rounds left out" >&2; exit 1; }
}

case $1 in
    plugin) shift; bench_plugin "$@" ;;
    proxy)
        shift
        [[ ${1:-10} =~ ^[1-9][0-9]*$ && ${2:-1} =~ ^[1-9][0-9]*$ ]] ||
            { echo "bench: SECONDS and ROUNDS must be whole numbers above 0" >&2; exit 2; }
        if ((${2:-1} > 1)); then bench_proxy_rounds "${1:-10}" "$2"; else bench_proxy "${1:-10}"; fi
        ;;
    *) usage ;;
esac
