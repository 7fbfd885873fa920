#!/usr/bin/env bash
# The shell completions as a shell runs them: the scripts the build generated
# (and the package installs) are loaded into bash, whose completion function
# is driven through COMP_WORDS/COMP_CWORD exactly as readline would; fish
# answers `complete -C` for the same lines; zsh must at least parse its
# script and define the function. Context names come from the kubeconfig.
source "$(dirname "$0")/lib.sh"

gen=$AKS_BIN_DIR/../packaging/generated
for f in aks-token.bash aks-proxy.bash _aks-token _aks-proxy aks-token.fish aks-proxy.fish; do
    [[ -s $gen/$f ]] || fail "the build did not generate $f"
done
export PATH=$AKS_BIN_DIR:$PATH  # the scripts call `aks-token __contexts` / `aks-proxy __contexts`

cat >"$WORK/kubeconfig" <<'YAML'
apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {}}]
contexts:
- {name: prod.aks, context: {cluster: c, user: u}}
- {name: dev, context: {cluster: c, user: u}}
current-context: dev
YAML
cat >"$WORK/other" <<'YAML'
apiVersion: v1
kind: Config
contexts: [{name: elsewhere, context: {cluster: c, user: u}}]
YAML
export KUBECONFIG=$WORK/kubeconfig

# shellcheck source=/dev/null
source "$gen/aks-token.bash"
# shellcheck source=/dev/null
source "$gen/aks-proxy.bash"

# Prints the completions bash would offer for the words (the last is being typed).
bash_complete() {  # function words...
    local fn=$1
    shift
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    "$fn" 2>/dev/null
    printf '%s\n' "${COMPREPLY[@]}" | sort
}
expect_words() {  # what expected-words-space-separated fn words...
    local what=$1 expected=$2
    shift 2
    local got
    got=$(bash_complete "$@" | tr '\n' ' ')
    assert_eq "$expected " "$got" "bash: $what"
}
expect_has() {  # what word fn words...
    local what=$1 word=$2
    shift 2
    bash_complete "$@" | grep -qx -- "$word" || fail "bash: $what: '$word' not offered ($(bash_complete "$@" | tr '\n' ' '))"
}

expect_words "commands starting with co" "completion convert-kubeconfig" _aks_token aks-token co
expect_has "status is a command" status _aks_token aks-token ""
expect_words "get-token flags starting with --logi" "--login --login-hint" _aks_token aks-token get-token --logi
expect_words "login modes" "azd azurecli devicecode interactive msi ropc spn workloadidentity" \
    _aks_token aks-token get-token --login ""
expect_words "login modes after -l" "devicecode" _aks_token aks-token login -l dev
expect_words "login modes after --login=" "msi" _aks_token aks-token get-token --login = m
expect_words "clouds" "AzureChinaCloud" _aks_token aks-token token -e AzureC
expect_words "contexts from KUBECONFIG" "dev prod.aks" _aks_token aks-token login --context ""
expect_words "contexts from --kubeconfig" "elsewhere" _aks_token aks-token status --kubeconfig "$WORK/other" --context ""
expect_words "status output formats" "json text" _aks_token aks-token status -o ""
expect_words "completion shells" "bash fish zsh" _aks_token aks-token completion ""
expect_words "a free-text value offers nothing" "" _aks_token aks-token get-token --tenant-id ""
expect_has "logout --all" --all _aks_token aks-token logout --a
expect_has "a global flag after the command" --help _aks_token aks-token token --he
touch "$WORK/cert.pem"
expect_words "files for --client-certificate" "$WORK/cert.pem" _aks_token aks-token get-token --client-certificate "$WORK/cert"
mkdir -p "$WORK/cachedir"
expect_words "directories for --cache-dir" "$WORK/cachedir" _aks_token aks-token logout --cache-dir "$WORK/cached"
expect_words "aks-proxy flags" "--reject-methods --reject-paths" _aks_proxy aks-proxy --reject-
expect_words "aks-proxy contexts" "dev prod.aks" _aks_proxy aks-proxy --context ""
expect_has "aks-proxy login flags" --tenant-id _aks_proxy aks-proxy --tenant
pass "bash completion of aks-token and aks-proxy"

# An unreadable kubeconfig offers nothing and prints nothing into the prompt.
out=$(KUBECONFIG=$WORK/missing aks-token __contexts 2>&1) || true
assert_eq "" "$out" "__contexts with a missing kubeconfig"

if command -v fish >/dev/null; then
    fish_complete() {  # command-line
        fish --no-config -c "source '$gen/aks-token.fish'; source '$gen/aks-proxy.fish'; complete -C'$1'" | cut -f1 | sort | tr '\n' ' '
    }
    assert_eq "azd azurecli " "$(fish_complete "aks-token get-token --login az")" "fish: login modes"
    assert_eq "dev prod.aks " "$(fish_complete "aks-token login --context ")" "fish: contexts"
    assert_eq "--dry-run " "$(fish_complete "aks-token convert-kubeconfig --dry")" "fish: convert flags"
    assert_eq "--no-browser " "$(fish_complete "aks-proxy --no-b")" "fish: aks-proxy flags"
    pass "fish completion"
else
    echo "skip: fish is not installed (scripts/setup.sh installs it)"
fi

if command -v zsh >/dev/null; then
    for f in _aks-token _aks-proxy; do
        zsh -n "$gen/$f" || fail "zsh cannot parse $f"
        fn=_${f#_}
        fn=${fn//-/_}
        zsh -fc "autoload -Uz compinit && compinit -u -d '$WORK/zcompdump'; source '$gen/$f' 2>/dev/null; (( \$+functions[$fn] ))" ||
            fail "zsh: $f does not define $fn"
    done
    pass "zsh completion scripts parse and define their functions"
else
    echo "skip: zsh is not installed (scripts/setup.sh installs it)"
fi
