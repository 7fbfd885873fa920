#!/usr/bin/env bash
# Builds the Debian package aks-auth_<version>_<arch>.deb with CPack from the
# Release build (build/, or $AKS_BUILD_DIR), checks it with lintian (errors
# fail), and prints its path on the last line.
#   scripts/package.sh [OUTPUT_DIR]      default: build/package
set -euo pipefail
cd "$(dirname "$0")/.."
build=${AKS_BUILD_DIR:-build}
[[ -f $build/CMakeCache.txt ]] || scripts/setup.sh
# cpack installs what is built; it does not build. Build exactly what ships.
cmake --build "$build" -j"$(nproc)" --target aks-token aks-token-full aks-proxy aks-packaging-files >/dev/null
out=$(mkdir -p "${1:-$build/package}" && cd "${1:-$build/package}" && pwd)
rm -f "$out"/aks-auth_*.deb
(cd "$build" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1) || { cat "$out/cpack.log" >&2; exit 1; }
deb=$(ls "$out"/aks-auth_*.deb)
if command -v lintian >/dev/null; then
    # Tags we accept, each for a reason:
    #   statically-linked-binary: aks-token is static on purpose (kubectl starts it on every run; no loader work)
    as_root=()
    [[ $(id -u) -eq 0 ]] && as_root=(--allow-root)
    lintian "${as_root[@]}" --fail-on error --suppress-tags statically-linked-binary "$deb" >&2
fi
echo "$deb"
