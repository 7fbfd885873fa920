#!/usr/bin/env bash
# Connection limits (issue #11): at --max-connections, and when the process
# has no descriptors left (EMFILE, here a proxy under `ulimit -n 48`), a new
# connection is answered 503 and closed at once, the accept loop does not
# spin (CPU time stays flat while clients keep knocking), connections that
# were already open keep working, and once clients go the proxy accepts again.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
proxy_setup
proxy_login || fail "login failed"
HOLD=$AKS_SOURCE_DIR/tests/integration/hold_connections.py
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
FD_LIMIT=48  # the out-of-descriptors proxy's `ulimit -n`

# Descriptor numbers below the limit that the proxy has free (RLIMIT_NOFILE
# bounds the numbers, so an inherited high descriptor does not count).
free_descriptors() {
    local used=0 fd
    for fd in /proc/"$PROXY_PID"/fd/*; do
        fd=${fd##*/}
        ((fd < FD_LIMIT)) && used=$((used + 1))
    done
    echo $((FD_LIMIT - used))
}
descriptors_back() { (($(free_descriptors) > 10)); }  # the idle clients' slots are back
# The reserve descriptor (/dev/null) the proxy gives up to refuse a waiting
# connection when out of descriptors; stdin is /dev/null too.
devnull_count() { ls -l /proc/"$PROXY_PID"/fd 2>/dev/null | grep -c ' -> /dev/null$'; }
fd_listing() { ls -l /proc/"$PROXY_PID"/fd 2>&1 | awk 'NR > 1 {print $(NF - 2), $NF}' | tr '\n' ' '; }

# The proxy is out of descriptors when at most one is free: a new connection
# takes it, and the owner check then finds none. Idle connections that the
# proxy refused while something else briefly held a descriptor leave more
# free than that; more idle connections take them up (a few rounds at most).
take_up_descriptors() {  # label
    local round free previous=-1
    for ((round = 0; round < 5; round++)); do
        free=$(free_descriptors)
        while ((free != previous)); do  # settled: the proxy has dealt with every connection
            previous=$free
            sleep 0.2
            free=$(free_descriptors)
        done
        ((free <= 1)) && return 0
        echo "note: $1: $free descriptors still free after the idle connections; $((free - 1)) more"
        python3 "$HOLD" "$PROXY_PORT" $((free - 1)) idle >"$WORK/$1-more-$round.out" &
        _pids+=($!)
        more_holds+=($!)
        wait_until "$((free - 1)) more idle connections" grep -q '^ready' "$WORK/$1-more-$round.out"
        previous=-1
    done
    fail "$1: the proxy still has $free descriptors free: $(fd_listing)"
}

# Checks one limit on the proxy at $PROXY_PORT: fills it with idle
# connections while one keep-alive client is mid-conversation.
check_limit() {  # label idle-connections expected-ready-line-regex
    local label=$1 n=$2 ready_re=$3 reserve
    reserve=$(devnull_count)
    # A client with an open keep-alive connection: one request now, one later.
    python3 "$AKS_SOURCE_DIR/tests/integration/raw_http.py" "$PROXY_PORT" --gate "$WORK/$label-go" --responses 2 \
        -e "[b'GET /version?$label-first HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', b'GET /version?$label-second HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n']" \
        >"$WORK/$label-existing.out" &
    local existing=$!
    _pids+=("$existing")
    wait_until "the first request of the existing client" grep -q "$label-first" "$WORK/fake-apiserver.log"
    python3 "$HOLD" "$PROXY_PORT" "$n" idle >"$WORK/$label-hold.out" &
    local hold=$!
    _pids+=("$hold")
    wait_until "$n idle connections" grep -q '^ready' "$WORK/$label-hold.out"
    grep -Eq "$ready_re" "$WORK/$label-hold.out" || fail "$label: idle connections: $(cat "$WORK/$label-hold.out")"
    local more_holds=()
    [[ $label != emfile ]] || take_up_descriptors "$label"
    # New clients knock for 2 s: each is refused at once, and the proxy does not spin.
    local before after i got
    before=$(cpu_ticks "$PROXY_PID")
    for ((i = 0; i < 20; i++)); do
        got=$(raw_http --timeout 3 --responses 1 -e "b'GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'" | tr '\n' ' ')
        [[ $got == "503 closed " ]] ||
            fail "$label: new connection $i: expected '503 closed ', got '$got' ($(free_descriptors) descriptors free: $(fd_listing))"
        sleep 0.1
    done
    after=$(cpu_ticks "$PROXY_PID")
    (((after - before) < 50)) || fail "$label: the proxy used $((after - before)) ticks of CPU while refusing (a busy loop?)"
    touch "$WORK/$label-go"  # the open connection's second request
    wait "$existing" || true
    assert_eq "200 200 open " "$(tr '\n' ' ' <"$WORK/$label-existing.out")" "$label: the connection that was already open"
    kill "$hold" "${more_holds[@]}"
    wait "$hold" "${more_holds[@]}" 2>/dev/null || true
    # Closed connections are noticed (EOF) and their slots come back.
    if [[ $label == emfile ]]; then
        # Once descriptors are free again, the very next connection is served:
        # the proxy must not refuse it as if it were still out of them.
        wait_until "$label: descriptors free again" descriptors_back
        assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' "$PROXY_URL/version")" \
            "$label: the first connection once descriptors are free"
    fi
    wait_until "$label: accepting again" bash -c \
        "[[ \$(curl -s -o /dev/null -w '%{http_code}' '$PROXY_URL/version') == 200 ]]"
    # Another thread may take the slot the reserve frees while the proxy is
    # out of descriptors, but once they are back the reserve is back too
    # (it used to stay lost, and refusals turned into 100 ms retries).
    assert_eq "$reserve" "$(devnull_count)" "$label: /dev/null descriptors (stdin, the reserve)"
    pass "$label: new connections refused with 503 at once, no busy loop, the open one served, accepting again after"
}

start_proxy --max-connections 20 --threads 1
# 1 existing + 19 idle = 20: the limit.
check_limit max-connections 19 '^ready 19 0$'
kill "$PROXY_PID"

# Out of descriptors: the limit is the open-file limit, not --max-connections.
(ulimit -n "$FD_LIMIT" && exec "$AKS_BIN_DIR/aks-proxy" --kubeconfig "$KUBECONFIG_FILE" --context fake-aks --port 0 --threads 1 \
    --max-connections 1000 </dev/null >"$WORK/proxy-emfile.log" 2>&1) &
PROXY_PID=$!
_pids+=("$PROXY_PID")
wait_until "the proxy under ulimit -n 48" grep -q '^Starting to serve on ' "$WORK/proxy-emfile.log"
PROXY_PORT=$(sed -n 's/^Starting to serve on .*:\([0-9]*\)$/\1/p' "$WORK/proxy-emfile.log")
PROXY_URL=http://127.0.0.1:$PROXY_PORT
grep -q 'warning: --max-connections 1000 is more than the open-file limit (48)' "$WORK/proxy-emfile.log" ||
    fail "no warning about the open-file limit: $(cat "$WORK/proxy-emfile.log")"
# 60 idle connections cannot all fit in 48 descriptors: some are refused.
check_limit emfile 60 '^ready [0-9]+ [1-9][0-9]*$'
kill -0 "$PROXY_PID" || fail "aks-proxy died when out of descriptors"
