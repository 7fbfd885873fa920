#!/usr/bin/env bash
# scripts/demo.sh, the README's first command, runs as part of the test
# command: one device-code sign-in, then kubectl, `aks-token token | curl`, a
# Python script through aks-proxy and Headlamp in Chromium, with no further
# identity-provider request (the demo fails itself otherwise), and a
# screenshot of the Headlamp page.
set -euo pipefail
out=$(mktemp)
trap 'rm -f "$out"' EXIT
bash "$AKS_SOURCE_DIR/scripts/demo.sh" >"$out" 2>&1 || { cat "$out" >&2; echo "FAIL: scripts/demo.sh" >&2; exit 1; }
grep -q 'kubectl, curl, Python and Headlamp since then: 0' "$out" || { cat "$out" >&2; echo "FAIL: no zero count" >&2; exit 1; }
shot=$(sed -n 's/^Screenshot of Headlamp through aks-proxy: //p' "$out")
[[ -s $shot ]] && [[ $(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] ||
    { echo "FAIL: no PNG screenshot at '$shot'" >&2; exit 1; }
if grep -Eq 'eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.' "$out"; then echo "FAIL: a token in the demo's output" >&2; exit 1; fi
echo "ok: the demo ran: three consumers, one sign-in, screenshot $shot"
