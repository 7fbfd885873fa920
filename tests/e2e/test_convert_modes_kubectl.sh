#!/usr/bin/env bash
# convert-kubeconfig mode by mode, as Azure/kubelogin's converter does it
# (pkg/internal/converter/convert.go at 66784961ef44), and the real kubectl
# running the converted entries against the fakes: kubelogin's documented
# workflows "convert -l spn, then export the service principal's variables"
# (docs/book/src/concepts/login-modes/sp.md) and "convert -l workloadidentity
# under the AKS webhook's variables" (workloadidentity.md); msi and azurecli
# get no client id or tenant; --azure-config-dir reaches az through kubectl;
# a secret is written only for the mode that reads it, with a warning.
source "$(dirname "$0")/../integration/lib.sh"
command -v kubectl >/dev/null || fail "kubectl is not installed"
unset KUBECONFIG
start_entra
start_apiserver
use_test_ca
APP=0b3c1d2e-7f6a-4b5c-9d8e-1a2b3c4d5e6f
AKS_CLIENT=80faf920-1908-4b52-b5ef-a8e7bedfc67a

# kubectl as it reads the file. Without a current-context, because the
# packaged kubectl (a version dispatcher) otherwise asks the context's API
# server for its version first, running the exec plugin.
view() {
    sed '/^current-context:/d' "$1" >"$WORK/view.yaml"
    kubectl config view --kubeconfig "$WORK/view.yaml" --raw -o json
}
args_of() { view "$1" | jq -c '.users[0].user.exec.args'; }
env_list_of() { view "$1" | jq -c '.users[0].user.exec.env'; }
convert() {  # kubeconfig [flags...]
    local kc=$1
    shift
    aks_token convert-kubeconfig --kubeconfig "$kc" --command "$AKS_BIN_DIR/aks-token" "$@" 2>"$WORK/convert.err" ||
        fail "convert $*: $(cat "$WORK/convert.err")"
}
# The client id of the token kubectl got (read from the cache entry it filled).
cached_appid() { jwt_payload "$(jq -r .access_token "$(cache_file)")" | jq -r .appid; }
get_pods() {  # kubeconfig what
    kubectl --kubeconfig "$1" get pods >"$WORK/pods" 2>"$WORK/kubectl.err" </dev/null || fail "$2: $(cat "$WORK/kubectl.err")"
    grep -q Running "$WORK/pods" || fail "$2: pod list: $(cat "$WORK/pods")"
}

# spn: kubelogin keeps the az entry's client id (the AKS CLI app) and tenant;
# the service principal's variables then beat that --client-id at run time.
KC=$WORK/spn.yaml
kubeconfig_from_fixture kubelogin-devicecode.yaml "$KC"
convert "$KC" -l spn --authority-host "$ENTRA_URL" --cache-dir "$CACHE_DIR"
assert_eq "[\"get-token\",\"--login\",\"spn\",\"--server-id\",\"$SERVER_ID\",\"--client-id\",\"$AKS_CLIENT\",\"--tenant-id\",\"$TENANT\",\"--environment\",\"AzurePublicCloud\",\"--authority-host\",\"$ENTRA_URL\",\"--cache-dir\",\"$CACHE_DIR\"]" \
    "$(args_of "$KC")" "spn args"
entra_control config '{"client_secret":"s3cret-value"}' >/dev/null
AAD_SERVICE_PRINCIPAL_CLIENT_ID=$APP AAD_SERVICE_PRINCIPAL_CLIENT_SECRET=s3cret-value get_pods "$KC" "kubectl as spn from the environment"
assert_eq "$APP" "$(cached_appid)" "client id of the token (the environment's, not the entry's)"
assert_no_token_in "$WORK/kubectl.err" "$WORK/convert.err" "$KC"
pass "convert -l spn, then the service principal's variables: kubectl works (sp.md)"

# A secret given on the command line: written for spn only, with a warning
# naming kubelogin's variable; never printed.
rm -rf "$CACHE_DIR"
kubeconfig_from_fixture kubelogin-devicecode.yaml "$KC"
convert "$KC" -l spn --client-id "$APP" --client-secret s3cret-value --authority-host "$ENTRA_URL" --cache-dir "$CACHE_DIR"
grep -q "warning: written into the kubeconfig in plain text: --client-secret (prefer AAD_SERVICE_PRINCIPAL_CLIENT_SECRET)" \
    "$WORK/convert.err" || fail "secret warning: $(cat "$WORK/convert.err")"
grep -q s3cret-value "$WORK/convert.err" && fail "the secret must not be printed"
get_pods "$KC" "kubectl as spn with the secret in the entry"
kubeconfig_from_fixture kubelogin-devicecode.yaml "$KC"
convert "$KC" -l devicecode --client-secret s3cret-value --password hunter2
grep -q "s3cret-value\|hunter2" "$KC" && fail "secrets for another mode must not be written"
grep -q "does not read --client-secret, --password; not written" "$WORK/convert.err" ||
    fail "not-written note: $(cat "$WORK/convert.err")"
grep -q "s3cret-value\|hunter2" "$WORK/convert.err" && fail "the secrets must not be printed"
pass "secrets: written only for the mode that reads them, with kubelogin's variable named"

# workloadidentity: no client id or tenant of the old entry; the webhook's
# variables decide, and beat flags an older conversion left in the entry.
SA_SUB=system:serviceaccount:default:workload
now=$(date +%s)
make_jwt "{\"iss\":\"https://oidc.prod-aks.azure.com/abc/\",\"sub\":\"$SA_SUB\",\"aud\":[\"api://AzureADTokenExchange\"],\"iat\":$now,\"exp\":$((now + 3600))}" >"$WORK/sa-token"
entra_control config "{\"federated_subject\":\"$SA_SUB\"}" >/dev/null
webhook=(env AZURE_CLIENT_ID="$APP" AZURE_TENANT_ID="$TENANT" AZURE_FEDERATED_TOKEN_FILE="$WORK/sa-token"
         AZURE_AUTHORITY_HOST="$ENTRA_URL")
rm -rf "$CACHE_DIR"
KC=$WORK/wi.yaml
kubeconfig_from_fixture kubelogin-devicecode.yaml "$KC"
convert "$KC" -l workloadidentity --cache-dir "$CACHE_DIR"
assert_eq "[\"get-token\",\"--login\",\"workloadidentity\",\"--server-id\",\"$SERVER_ID\",\"--cache-dir\",\"$CACHE_DIR\"]" \
    "$(args_of "$KC")" "workloadidentity args"
grep -q "does not keep --client-id, --tenant-id, --environment of the old entry" "$WORK/convert.err" ||
    fail "dropped-flags note: $(cat "$WORK/convert.err")"
"${webhook[@]}" kubectl --kubeconfig "$KC" get pods >"$WORK/pods" 2>"$WORK/kubectl.err" </dev/null ||
    fail "kubectl with workload identity: $(cat "$WORK/kubectl.err")"
assert_eq "$APP" "$(cached_appid)" "workload identity client id"
# An entry from an older conversion that kept the AKS client and a tenant.
rm -rf "$CACHE_DIR"
kubeconfig_from_fixture kubelogin-devicecode.yaml "$KC"
sed -i "s#- devicecode#- workloadidentity#" "$KC"
convert "$KC" --cache-dir "$CACHE_DIR"
args_of "$KC" | jq -e --arg c "$AKS_CLIENT" 'index("--client-id") as $i | .[$i + 1] == $c' >/dev/null ||
    fail "without -l the entry keeps its flags: $(args_of "$KC")"
"${webhook[@]}" kubectl --kubeconfig "$KC" get pods >"$WORK/pods" 2>"$WORK/kubectl.err" </dev/null ||
    fail "kubectl with an old workload identity entry: $(cat "$WORK/kubectl.err")"
assert_eq "$APP" "$(cached_appid)" "the webhook's AZURE_CLIENT_ID beats the entry's --client-id"
pass "convert -l workloadidentity under the webhook's variables: kubectl works; they beat old flags"

# msi and azurecli: no client id, no tenant (kubelogin drops them on purpose:
# az refuses --tenant when signed in with a managed identity).
KC=$WORK/msi.yaml
kubeconfig_from_fixture kubelogin-devicecode.yaml "$KC"
convert "$KC" -l msi
assert_eq "[\"get-token\",\"--login\",\"msi\",\"--server-id\",\"$SERVER_ID\"]" "$(args_of "$KC")" "msi args"
mkdir -p "$WORK/bin" "$WORK/azcfg"
cp "$AKS_SOURCE_DIR/tests/fakes/fake-cli/az" "$WORK/bin/"
KC=$WORK/cli.yaml
kubeconfig_from_fixture kubelogin-devicecode.yaml "$KC"
convert "$KC" -l azurecli --azure-config-dir "$WORK/azcfg" --cache-dir "$CACHE_DIR"
assert_eq "[\"get-token\",\"--login\",\"azurecli\",\"--server-id\",\"$SERVER_ID\",\"--cache-dir\",\"$CACHE_DIR\"]" \
    "$(args_of "$KC")" "azurecli args"
assert_eq "[{\"name\":\"AZURE_CONFIG_DIR\",\"value\":\"$WORK/azcfg\"}]" "$(env_list_of "$KC")" "azurecli env"
# fake az's tokens are not signed by fake-entra, so the API server answers
# 401; what matters is what kubectl ran az with.
PATH=$WORK/bin:$PATH FAKE_AZ_LOG=$WORK/az.log FAKE_AZ_CONFIG_LOG=$WORK/azcfg.log \
    kubectl --kubeconfig "$KC" get pods >/dev/null 2>&1 </dev/null || true
assert_eq "account get-access-token --resource $SERVER_ID -o json" "$(head -n1 "$WORK/az.log")" "az arguments (no --tenant)"
assert_eq "$WORK/azcfg" "$(head -n1 "$WORK/azcfg.log")" "AZURE_CONFIG_DIR az got through kubectl"
# aks-proxy reads the same entry and runs az as kubectl would: with the
# entry's env list on top of its own environment (an empty cache of its own,
# so that its start-up login runs az).
PATH=$WORK/bin:$PATH FAKE_AZ_LOG=$WORK/az.log FAKE_AZ_CONFIG_LOG=$WORK/azcfg.log \
    "$AKS_BIN_DIR/aks-proxy" --kubeconfig "$KC" --cache-dir "$WORK/proxy-cache" --port 0 --quiet \
    </dev/null >"$WORK/proxy.log" 2>&1 &
_pids+=($!)
for ((i = 0; i < 200; i++)); do
    grep -q '^Starting to serve on' "$WORK/proxy.log" && break
    kill -0 "${_pids[-1]}" 2>/dev/null || fail "aks-proxy exited: $(cat "$WORK/proxy.log")"
    sleep 0.05
done
kill "${_pids[-1]}"
assert_eq 2 "$(wc -l <"$WORK/azcfg.log")" "az runs (kubectl's, aks-proxy's)"
assert_eq "$WORK/azcfg" "$(tail -n1 "$WORK/azcfg.log")" "AZURE_CONFIG_DIR az got through aks-proxy"
pass "msi and azurecli carry no client id or tenant; --azure-config-dir reaches az through kubectl and aks-proxy"
