#!/usr/bin/env bash
# Headlamp desktop's use, with kubectl standing in for it: the exec plugin
# runs with no terminal (stdin /dev/null, batch ExecCredential). Device code
# with nobody signed in fails at once with the `aks-token login` guidance (no
# device code requested, no hang); --login interactive opens the browser once
# and later calls come from the cache; and `aks-proxy kubeconfig` gives a
# credential-free kubeconfig for a desktop that goes through aks-proxy.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
command -v kubectl >/dev/null || fail "kubectl is not installed"
proxy_setup
unset DISPLAY WAYLAND_DISPLAY
mkdir -p "$WORK/bin"
cat >"$WORK/bin/fetch-browser" <<SH
#!/usr/bin/env bash
# A browser that signs in at once: fetch the URL, follow the redirects.
echo "\$1" >>"$WORK/browser.log"
curl -sS -L --cacert "$PKI/ca.pem" -o /dev/null "\$1"
SH
chmod +x "$WORK/bin/fetch-browser"
export BROWSER=$WORK/bin/fetch-browser

# Device code, nobody signed in, no terminal: fails fast with guidance.
rc=0
timeout 20 kubectl --kubeconfig "$KUBECONFIG_FILE" get pods >"$WORK/out" 2>"$WORK/err" </dev/null || rc=$?
[[ $rc -ne 0 && $rc -ne 124 ]] || fail "kubectl should fail fast without a login (rc=$rc)"
grep -q "aks-token login" "$WORK/err" || fail "no guidance: $(cat "$WORK/err")"
assert_eq 0 "$(entra_counter .devicecode)" "device codes requested"
[[ ! -s $WORK/browser.log ]] || fail "device code mode opened a browser"
pass "device code without a terminal fails fast with the aks-token login guidance"

# Interactive: the browser opens once, the second call is a cache hit.
LOGIN_FLAGS=(--login interactive --tenant-id "$TENANT" --server-id "$SERVER_ID"
             --authority-host "$ENTRA_URL" --cache-dir "$CACHE_DIR" --timeout 60s)
write_kubeconfig "$WORK/interactive.kubeconfig"
for i in 1 2; do
    timeout 60 kubectl --kubeconfig "$WORK/interactive.kubeconfig" get pods >"$WORK/pods" 2>"$WORK/err" </dev/null ||
        fail "kubectl get pods ($i): $(cat "$WORK/err")"
    grep -q Running "$WORK/pods" || fail "pod list: $(cat "$WORK/pods")"
done
assert_eq 1 "$(wc -l <"$WORK/browser.log")" "browser starts"
assert_eq 1 "$(entra_counter .token.authorization_code)" "sign-ins"
pass "interactive exec plugin without a terminal: one browser sign-in, then the cache"

# A desktop that should not run plugins: the proxy's credential-free kubeconfig.
KUBECONFIG_FILE=$WORK/interactive.kubeconfig
start_proxy
"$AKS_BIN_DIR/aks-proxy" kubeconfig --kubeconfig "$KUBECONFIG_FILE" --context fake-aks --port "$PROXY_PORT" \
    >"$WORK/proxy.kubeconfig" 2>"$WORK/err" || fail "aks-proxy kubeconfig: $(cat "$WORK/err")"
grep -q 'exec:\|token:' "$WORK/proxy.kubeconfig" && fail "the proxy kubeconfig carries credentials"
kubectl --kubeconfig "$WORK/proxy.kubeconfig" get pods >"$WORK/pods" 2>"$WORK/err" </dev/null ||
    fail "kubectl through the proxy kubeconfig: $(cat "$WORK/err")"
grep -q Running "$WORK/pods" || fail "pod list via the proxy: $(cat "$WORK/pods")"
assert_eq 1 "$(wc -l <"$WORK/browser.log")" "browser starts"
assert_no_token_in "$WORK/proxy.kubeconfig" "$WORK/proxy.log" "$WORK/err"
pass "aks-proxy kubeconfig: a credential-free kubeconfig that works through the proxy"
