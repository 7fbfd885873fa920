#!/usr/bin/env bash
# The Debian package, used as a user would: scripts/package.sh builds
# aks-auth_<version>_<arch>.deb (lintian errors fail it), dpkg-deb unpacks it
# into a scratch root, and only the unpacked programs are run — --version, a
# device-code login against fake-entra, kubectl through the unpacked aks-token
# (the front must find aks-token-full in ../libexec/aks-auth), aks-proxy
# answering a request — so a file or library missing from the package fails
# here. Then dpkg installs it into a throwaway root, and apt-get checks (in
# simulation) that its computed dependencies resolve on this machine.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"

build=$(cd "$AKS_BIN_DIR/.." && pwd)
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
[[ -n $version ]] || fail "no project version in $build/CMakeCache.txt"

AKS_BUILD_DIR=$build "$AKS_SOURCE_DIR/scripts/package.sh" "$WORK/pkg" >"$WORK/package.log" 2>&1 ||
    fail "scripts/package.sh failed: $(tail -n 20 "$WORK/package.log")"
deb=$(tail -n1 "$WORK/package.log")
assert_eq "aks-auth_${version}_$(dpkg --print-architecture).deb" "$(basename "$deb")" "package file name"
pass "package built, lintian reports no errors"

dpkg-deb -I "$deb" >"$WORK/control.txt"
grep -q '^ Depends: .*libssl3' "$WORK/control.txt" || fail "Depends was not computed: $(cat "$WORK/control.txt")"

root=$WORK/root
dpkg-deb -x "$deb" "$root"
for f in usr/bin/aks-token usr/bin/aks-proxy usr/libexec/aks-auth/aks-token-full; do
    [[ -x $root/$f ]] || fail "$f is missing from the package"
done
for p in aks-token aks-proxy; do
    for f in "usr/share/man/man1/$p.1.gz" "usr/share/bash-completion/completions/$p" \
             "usr/share/zsh/vendor-completions/_$p" "usr/share/fish/vendor_completions.d/$p.fish"; do
        [[ -s $root/$f ]] || fail "$f is missing from the package"
    done
    zcat "$root/usr/share/man/man1/$p.1.gz" | grep -q "^\.TH ${p^^} 1" || fail "$p.1.gz is not a man page"
    bash -n "$root/usr/share/bash-completion/completions/$p" || fail "the packaged bash completion for $p does not parse"
done
for p in aks-token aks-proxy; do
    assert_eq "$p $version" "$("$root/usr/bin/$p" --version)" "$p --version"
done
assert_eq "aks-token $version" "$("$root/usr/libexec/aks-auth/aks-token-full" --version)" "aks-token-full --version"
pass "every program reports version $version"

# Sign in with the unpacked aks-token (the device code approved at once).
proxy_identity_setup
start_apiserver
aks_token() { "$root/usr/bin/aks-token" "$@"; }
proxy_login || fail "login with the packaged aks-token failed: $(cat "$WORK/login.log")"
pass "device-code login with the packaged aks-token"

# kubectl running the packaged plugin; the cache hit path stays in the front.
KUBECONFIG_FILE=$WORK/kubeconfig
write_kubeconfig "$KUBECONFIG_FILE"
sed -i "s#command: $AKS_BIN_DIR/aks-token#command: $root/usr/bin/aks-token#" "$KUBECONFIG_FILE"
grep -q "command: $root/usr/bin/aks-token" "$KUBECONFIG_FILE" || fail "kubeconfig does not run the packaged aks-token"
kubectl --kubeconfig "$KUBECONFIG_FILE" get pods -n default >"$WORK/pods.txt" 2>"$WORK/kubectl.err" ||
    fail "kubectl through the packaged aks-token: $(cat "$WORK/kubectl.err")"
grep -q . "$WORK/pods.txt" || fail "kubectl printed nothing"
pass "kubectl through the packaged aks-token"

# The packaged aks-proxy serving a request with the shared token.
AKS_BIN_DIR=$root/usr/bin start_proxy --quiet
assert_eq 200 "$(curl -s -o "$WORK/ns.json" -w '%{http_code}' "$PROXY_URL/api/v1/namespaces/default/pods")" \
    "status through the packaged aks-proxy"
jq -e '.kind == "PodList"' "$WORK/ns.json" >/dev/null || fail "not a PodList: $(head -c 200 "$WORK/ns.json")"
pass "the packaged aks-proxy serves the API with the shared token"

# dpkg into a throwaway root: an empty dpkg database, dependencies (libc,
# OpenSSL...) are not in that root, hence --force-depends; apt-get checks
# them against this machine instead, without installing.
admin=$WORK/instroot/var/lib/dpkg
mkdir -p "$admin/info" "$admin/updates"
: >"$admin/status"
dpkg --root="$WORK/instroot" --force-depends --force-not-root --force-script-chrootless -i "$deb" \
    >"$WORK/dpkg.log" 2>&1 || fail "dpkg -i into a throwaway root failed: $(tail -n 5 "$WORK/dpkg.log")"
assert_eq "aks-token $version" "$("$WORK/instroot/usr/bin/aks-token" --version)" "installed aks-token --version"
dpkg --root="$WORK/instroot" -L aks-auth | grep -qx /usr/libexec/aks-auth/aks-token-full ||
    fail "dpkg does not list aks-token-full as installed"
pass "dpkg installs the package into a throwaway root"
if command -v apt-get >/dev/null; then
    apt-get install --simulate -q "$deb" >"$WORK/apt.log" 2>&1 ||
        fail "apt-get cannot resolve the package's dependencies: $(tail -n 5 "$WORK/apt.log")"
    pass "apt-get resolves the package's dependencies (simulated install)"
fi
