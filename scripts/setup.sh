#!/usr/bin/env bash
# Installs every Debian package the build and the tests need, then builds
# Release into build/. Safe to run again: installed packages are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config
  libcpp-httplib-dev libssl-dev picojson-dev catch2
  libboost1.74-dev libyaml-cpp-dev zlib1g-dev libre2-dev libnghttp2-dev
  clang libclang-rt-14-dev
  openssl curl jq wrk nginx-light python3
  nodejs chromium zsh fish
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Peers for the e2e tests (Chromium driver, OIDC provider, Kubernetes JS
# client), pinned by the committed lock file; reinstalled when it changes.
lock_sum=$(sha256sum tests/e2e/package-lock.json | cut -d' ' -f1)
if [[ $(cat tests/e2e/node_modules/.aks-lock-sum 2>/dev/null) != "$lock_sum" ]]; then
  echo "setup: npm ci in tests/e2e"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$lock_sum" >tests/e2e/node_modules/.aks-lock-sum
fi

build_dir=${AKS_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
