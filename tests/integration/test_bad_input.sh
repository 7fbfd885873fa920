#!/usr/bin/env bash
# Bad input: one line naming the problem, non-zero exit, nothing on stdout.
source "$(dirname "$0")/lib.sh"
B="$AKS_BIN_DIR/aks-token"
T=72f988bf-86f1-41af-91ab-2d7cd011db47

expect_error() {  # pattern env-assignment-or-- args...
    local pattern=$1 envset=$2
    shift 2
    local rc=0
    if [[ $envset == -- ]]; then
        "$B" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null || rc=$?
    else
        env "$envset" "$B" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null || rc=$?
    fi
    [[ $rc -ne 0 ]] || fail "expected failure for: $*"
    [[ ! -s $WORK/out ]] || fail "stdout not empty for: $*"
    assert_eq 1 "$(wc -l <"$WORK/err")" "stderr lines for: $* ($(cat "$WORK/err"))"
    grep -qi -- "$pattern" "$WORK/err" || fail "error for '$*' should mention '$pattern': $(cat "$WORK/err")"
}

C=(--cache-dir "$WORK/cache")
expect_error "KUBERNETES_EXEC_INFO" 'KUBERNETES_EXEC_INFO={not json' get-token -t "$T" "${C[@]}"
expect_error "v1alpha1" 'KUBERNETES_EXEC_INFO={"apiVersion":"client.authentication.k8s.io/v1alpha1","kind":"ExecCredential","spec":{}}' get-token -t "$T" "${C[@]}"
# A number beyond double and deep nesting (picojson throws / recurses): the same one line, exit 2.
expect_error "not a valid ExecCredential" 'KUBERNETES_EXEC_INFO={"apiVersion":1e999}' get-token -t "$T" "${C[@]}"
expect_error "not a valid ExecCredential" "KUBERNETES_EXEC_INFO=$(printf '[%.0s' $(seq 100000))" get-token -t "$T" "${C[@]}"
# An apiVersion with control characters is quoted as one clean line.
expect_error "unsupported KUBERNETES_EXEC_INFO apiVersion x .2Jy" 'KUBERNETES_EXEC_INFO={"apiVersion":"x\u001b[2Jy"}' get-token -t "$T" "${C[@]}"
grep -q $'\x1b' "$WORK/err" && fail "an escape character reached the terminal"
expect_error "--login" -- get-token --login magic -t "$T" "${C[@]}"
expect_error "tenant" -- get-token --login devicecode "${C[@]}"
expect_error "server-id" -- get-token --server-id "" -t "$T" "${C[@]}"
expect_error "pop" -- get-token --pop-enabled -t "$T" "${C[@]}"
expect_error "unknown flag" -- get-token --no-such-flag -t "$T" "${C[@]}"
expect_error "needs a value" -- get-token -t
expect_error "environment" -- get-token -e MarsCloud -t "$T" "${C[@]}"
expect_error "https" -- get-token --authority-host http://login.example -t "$T" "${C[@]}"
expect_error "client-secret or --client-certificate" -- get-token --login spn --client-id x -t "$T" "${C[@]}"
expect_error "subcommand" -- frobnicate
[[ ! -e $WORK/cache ]] || [[ -z $(ls "$WORK/cache") ]] || fail "bad input must not write cache files"

# --help on every subcommand and --version: exit 0, text on stdout.
for sub in get-token login logout token status whoami; do
    "$B" "$sub" --help >"$WORK/out" 2>&1 || fail "$sub --help failed"
    grep -qi "usage" "$WORK/out" || fail "$sub --help prints no usage"
done
"$B" --help | grep -q get-token || fail "--help must list subcommands"
"$B" --version | grep -Eq '^aks-token [0-9]+\.[0-9]+' || fail "--version"
pass "bad input rejected with one-line errors; help and version"
