#!/usr/bin/env bash
# Headlamp's multiplexer frontend through aks-proxy --headlamp-service in
# Chromium: the multiplexer's only credential is the handshake's cookie, and
# it must stay fresh across a token rotation. See headlamp_e2e.sh.
MODE=multiplexer SERVICE=1 CLUSTER=aks.prod
source "$(dirname "$0")/headlamp_e2e.sh"
run_headlamp_e2e
