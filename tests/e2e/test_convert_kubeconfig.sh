#!/usr/bin/env bash
# convert-kubeconfig against the preinstalled kubectl: fixtures shaped like
# az aks get-credentials output (legacy azure auth-provider; kubelogin
# devicecode, azurecli, spn, msi, workloadidentity; a non-AKS user; a two-file
# KUBECONFIG) convert into files kubectl parses, keep every other field, are
# stable under a second conversion, and kubectl get works through aks-token.
source "$(dirname "$0")/../integration/lib.sh"
command -v kubectl >/dev/null || fail "kubectl is not installed"
FIX=$AKS_SOURCE_DIR/tests/fixtures/kubeconfig
unset KUBECONFIG

view() { kubectl config view --kubeconfig "$1" --raw -o json 2>"$WORK/view.err" || fail "kubectl cannot read $1: $(cat "$WORK/view.err")"; }
# Everything but the users, as kubectl sees it.
others() { view "$1" | jq -S 'del(.users)'; }

for fixture in legacy-azure kubelogin-devicecode kubelogin-azurecli kubelogin-spn kubelogin-msi kubelogin-workloadidentity; do
    f=$WORK/$fixture.yaml
    cp "$FIX/$fixture.yaml" "$f"
    mode=$(view "$f" | jq -r '.users[0].user.exec.args // [] | index("--login") as $i | if $i then .[$i + 1] else "devicecode" end')

    # --dry-run prints what it would write and writes nothing.
    aks_token convert-kubeconfig --kubeconfig "$f" --dry-run >"$WORK/dry.yaml" 2>"$WORK/dry.err" || fail "$fixture dry run: $(cat "$WORK/dry.err")"
    cmp -s "$FIX/$fixture.yaml" "$f" || fail "$fixture: --dry-run changed the file"
    [[ ! -e $f.bak ]] || fail "$fixture: --dry-run wrote a backup"

    aks_token convert-kubeconfig --kubeconfig "$f" 2>"$WORK/convert.err" || fail "$fixture convert: $(cat "$WORK/convert.err")"
    cmp -s "$FIX/$fixture.yaml" "$f.bak" || fail "$fixture: .bak is not the original"
    cmp -s "$WORK/dry.yaml" <(printf '# %s after aks-token convert-kubeconfig\n' "$f"; cat "$f") ||
        fail "$fixture: --dry-run output differs from the written file"
    view "$f" >"$WORK/after.json"
    jq -e --arg mode "$mode" '.users[0].user.exec
        | .command == "aks-token" and .apiVersion == "client.authentication.k8s.io/v1"
          and .interactiveMode == "IfAvailable" and (.installHint | length > 0)
          and .args[0] == "get-token" and (.args | index("--login")) != null
          and .args[(.args | index("--login")) + 1] == $mode' "$WORK/after.json" >/dev/null ||
        fail "$fixture: converted entry: $(jq -c .users[0].user "$WORK/after.json")"
    jq -e '.users[0].user["auth-provider"] == null' "$WORK/after.json" >/dev/null || fail "$fixture: auth-provider left"
    # The env list and every other field survive; kubectl sees the same clusters, contexts, preferences.
    assert_eq "$(view "$FIX/$fixture.yaml" | jq -c '.users[0].user.exec.env')" "$(jq -c '.users[0].user.exec.env' "$WORK/after.json")" "$fixture env"
    assert_eq "$(others "$FIX/$fixture.yaml")" "$(others "$f")" "$fixture: fields other than users"

    cp "$f" "$WORK/once"
    aks_token convert-kubeconfig --kubeconfig "$f" 2>/dev/null || fail "$fixture second convert"
    cmp -s "$WORK/once" "$f" || fail "$fixture: converting twice changed the file"
done
# The legacy user's identity is carried over as flags.
jq -e '.users[0].user.exec.args | index("--tenant-id") != null and index("AzurePublicCloud") != null' \
    <(view "$WORK/legacy-azure.yaml") >/dev/null || fail "legacy flags"
pass "every az aks get-credentials shape converts, parses in kubectl and is stable"

# A kubeconfig without AKS users is left alone, byte for byte.
cp "$FIX/non-aks.yaml" "$WORK/non-aks.yaml"
aks_token convert-kubeconfig --kubeconfig "$WORK/non-aks.yaml" 2>"$WORK/non.err" || fail "non-AKS convert"
cmp -s "$FIX/non-aks.yaml" "$WORK/non-aks.yaml" || fail "non-AKS file changed"
grep -q "No AKS users" "$WORK/non.err" || fail "non-AKS message: $(cat "$WORK/non.err")"
[[ ! -e $WORK/non-aks.yaml.bak ]] || fail "non-AKS backup"

# Two files in KUBECONFIG: each AKS user is rewritten in the file that defined
# it; the shadowed duplicate in the second file is not kubectl's, so it stays.
cp "$FIX/two-file-a.yaml" "$WORK/a.yaml"
cp "$FIX/two-file-b.yaml" "$WORK/b.yaml"
export KUBECONFIG=$WORK/a.yaml:$WORK/b.yaml
aks_token convert-kubeconfig --context other 2>/dev/null || fail "two-file convert --context other"
cmp -s "$FIX/two-file-a.yaml" "$WORK/a.yaml" || fail "--context other changed the first file"
jq -e '.users[] | select(.name == "clusterUser_rg2_other") | .user.exec.command == "aks-token"' <(view "$WORK/b.yaml") >/dev/null ||
    fail "--context other did not convert its user"
! grep -q "old-cached-token\|old-refresh-token" "$WORK/b.yaml" || fail "the legacy provider's cached tokens survived"
aks_token convert-kubeconfig 2>/dev/null || fail "two-file convert all"
jq -e '.users[] | select(.name == "clusterUser_myrg_myaks") | .user.exec.command == "aks-token"' <(view "$WORK/a.yaml") >/dev/null ||
    fail "first file's user not converted"
jq -e '.users[] | select(.name == "clusterUser_myrg_myaks") | .user.token == "shadowed-by-file-a"' <(view "$WORK/b.yaml") >/dev/null ||
    fail "the shadowed user in the second file must stay"
kubectl config view >/dev/null 2>&1 || fail "kubectl cannot merge the converted files"
unset KUBECONFIG
pass "two-file KUBECONFIG"

# Bad input: one line, exit 2, the file untouched and no backup.
bad_case() {  # name file [args]
    local name=$1 file=$2 rc=0
    shift 2
    cp "$file" "$WORK/before"
    aks_token convert-kubeconfig --kubeconfig "$file" "$@" >"$WORK/bad.out" 2>"$WORK/bad.err" || rc=$?
    [[ $rc -ne 0 ]] || fail "$name: should fail"
    assert_eq 1 "$(wc -l <"$WORK/bad.err")" "$name: error lines ($(cat "$WORK/bad.err"))"
    cmp -s "$WORK/before" "$file" || fail "$name: file changed"
    [[ ! -e $file.bak ]] || fail "$name: backup written"
    [[ ! -s $WORK/bad.out ]] || fail "$name: printed output"
}
printf 'users:\n- name: x\n  user: [unclosed\n' >"$WORK/malformed.yaml"
bad_case "malformed YAML" "$WORK/malformed.yaml"
grep -q "malformed.yaml: line" "$WORK/bad.err" || fail "malformed: $(cat "$WORK/bad.err")"
cp "$FIX/kubelogin-devicecode.yaml" "$WORK/ctx.yaml"
bad_case "missing context" "$WORK/ctx.yaml" --context nope
grep -q "context 'nope'" "$WORK/bad.err" || fail "missing context: $(cat "$WORK/bad.err")"
cp "$FIX/non-aks.yaml" "$WORK/nonaks2.yaml"
bad_case "non-AKS context" "$WORK/nonaks2.yaml" --context lab
grep -q "static token" "$WORK/bad.err" || fail "non-AKS context: $(cat "$WORK/bad.err")"
# What get-token would refuse on every kubectl run is refused now (kubelogin's
# options.go Validate and converter refusals), PoP in every mode.
cp "$FIX/kubelogin-devicecode.yaml" "$WORK/refused.yaml"
bad_case "http authority host" "$WORK/refused.yaml" --authority-host http://idp.test
grep -q "^aks-token: --authority-host must be an https URL" "$WORK/bad.err" || fail "authority host: $(cat "$WORK/bad.err")"
bad_case "zero timeout" "$WORK/refused.yaml" --timeout 0s
grep -q "timeout '0s' is not a positive duration" "$WORK/bad.err" || fail "timeout: $(cat "$WORK/bad.err")"
for mode in devicecode interactive spn ropc msi azurecli azd workloadidentity; do
    bad_case "PoP with -l $mode" "$WORK/refused.yaml" -l "$mode" --pop-enabled --pop-claims u=/arm/id
    grep -q "^aks-token: --pop-enabled is not supported by aks-token (proof-of-possession" "$WORK/bad.err" ||
        fail "PoP -l $mode: $(cat "$WORK/bad.err")"
done
bad_case "azurepipelines" "$WORK/refused.yaml" -l azurepipelines
AAD_LOGIN_METHOD=bogus bad_case "bad AAD_LOGIN_METHOD" "$WORK/refused.yaml"
grep -q "AAD_LOGIN_METHOD 'bogus' is not a login mode" "$WORK/bad.err" || fail "AAD_LOGIN_METHOD: $(cat "$WORK/bad.err")"
sed '/tenant-id/d' "$FIX/legacy-azure.yaml" >"$WORK/no-tenant.yaml"
bad_case "spn without a tenant" "$WORK/no-tenant.yaml" -l spn
grep -q "user 'clusterUser_myrg_myaks': --tenant-id is required for --login spn" "$WORK/bad.err" ||
    fail "spn without a tenant: $(cat "$WORK/bad.err")"
bad_case "unknown -l" "$WORK/refused.yaml" -l magic
# Two files: a problem in the second writes neither.
cp "$FIX/kubelogin-devicecode.yaml" "$WORK/ok-first.yaml"
sed 's/clusterUser_myrg_myaks/clusterUser_other/; s/name: myaks/name: other/' "$WORK/no-tenant.yaml" >"$WORK/bad-second.yaml"
cp "$WORK/ok-first.yaml" "$WORK/ok-first.before"
cp "$WORK/bad-second.yaml" "$WORK/bad-second.before"
rc=0
KUBECONFIG=$WORK/ok-first.yaml:$WORK/bad-second.yaml aks_token convert-kubeconfig -l devicecode >"$WORK/bad.out" 2>"$WORK/bad.err" || rc=$?
[[ $rc -eq 2 ]] || fail "second file refused: exit $rc ($(cat "$WORK/bad.err"))"
grep -q "user 'clusterUser_other': --tenant-id is required" "$WORK/bad.err" || fail "second file: $(cat "$WORK/bad.err")"
cmp -s "$WORK/ok-first.before" "$WORK/ok-first.yaml" || fail "the first file was written"
cmp -s "$WORK/bad-second.before" "$WORK/bad-second.yaml" || fail "the second file was written"
[[ ! -e $WORK/ok-first.yaml.bak && ! -e $WORK/bad-second.yaml.bak ]] || fail "a backup was written"
pass "what get-token would refuse is refused at conversion, PoP in every mode; nothing written"

# Unwritable: a file the running user may read but not write (root ignores
# modes, so then run as nobody in a directory it may enter).
mkdir "$WORK/ro"
cp "$FIX/kubelogin-azurecli.yaml" "$WORK/ro/config"
chmod 444 "$WORK/ro/config"
if [[ $(id -u) == 0 ]]; then
    chmod 711 "$WORK"
    chmod 755 "$WORK/ro"
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$WORK/ro")
else
    as_user=()
fi
cp "$WORK/ro/config" "$WORK/before"
rc=0
"${as_user[@]}" "$AKS_BIN_DIR/aks-token" convert-kubeconfig --kubeconfig "$WORK/ro/config" >"$WORK/bad.out" 2>"$WORK/bad.err" || rc=$?
chmod 700 "$WORK"
[[ $rc -ne 0 ]] || fail "unwritable: should fail"
assert_eq 1 "$(wc -l <"$WORK/bad.err")" "unwritable: error lines ($(cat "$WORK/bad.err"))"
grep -q "$WORK/ro/config" "$WORK/bad.err" || fail "unwritable: $(cat "$WORK/bad.err")"
cmp -s "$WORK/before" "$WORK/ro/config" || fail "unwritable: file changed"
[[ ! -e $WORK/ro/config.bak ]] || fail "unwritable: backup written"
pass "bad input leaves the file untouched"

# kubectl get through the converted entry: login --context once, then kubectl
# makes no identity-provider request.
start_entra
start_apiserver
use_test_ca
entra_control config '{"auto_approve_after":0,"interval":0,"upn":"erin@contoso.example"}' >/dev/null
KC=$WORK/aks.yaml
kubeconfig_from_fixture kubelogin-devicecode.yaml "$KC"
aks_token convert-kubeconfig --kubeconfig "$KC" --authority-host "$ENTRA_URL" --cache-dir "$CACHE_DIR" \
    --command "$AKS_BIN_DIR/aks-token" 2>/dev/null || fail "convert for kubectl"
aks_token login --kubeconfig "$KC" --context myaks 2>"$WORK/login.err" </dev/null || fail "login --context: $(cat "$WORK/login.err")"
before=$(entra_requests)
kubectl --kubeconfig "$KC" get pods >"$WORK/pods" 2>"$WORK/err" </dev/null || fail "kubectl get pods: $(cat "$WORK/err")"
grep -q Running "$WORK/pods" || fail "pod list: $(cat "$WORK/pods")"
kubectl --kubeconfig "$KC" auth whoami -o json >"$WORK/whoami" 2>"$WORK/err" </dev/null || fail "whoami: $(cat "$WORK/err")"
jq -e '.status.userInfo.username == "erin@contoso.example"' "$WORK/whoami" >/dev/null || fail "identity: $(cat "$WORK/whoami")"
assert_eq "$before" "$(entra_requests)" "identity-provider requests during kubectl after login --context"
assert_no_token_in "$WORK/login.err" "$WORK/err" "$KC"

# A credential-free kubeconfig for tools that cannot run exec plugins.
aks_token kubeconfig --proxy http://127.0.0.1:8001 --kubeconfig "$KC" -o "$WORK/proxy.yaml" 2>/dev/null || fail "kubeconfig --proxy"
assert_eq 600 "$(file_mode "$WORK/proxy.yaml")" "proxy kubeconfig mode"
view "$WORK/proxy.yaml" >"$WORK/proxy.json"
jq -e '.clusters[0].cluster.server == "http://127.0.0.1:8001" and .["current-context"] == "myaks"
       and (.users[0].user | length) == 0' "$WORK/proxy.json" >/dev/null || fail "proxy kubeconfig: $(cat "$WORK/proxy.json")"
pass "kubectl get through a converted kubeconfig after login --context; proxy kubeconfig"
