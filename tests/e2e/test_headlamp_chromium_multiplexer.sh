#!/usr/bin/env bash
# Headlamp's multiplexer frontend (REACT_APP_ENABLE_WEBSOCKET_MULTIPLEXER)
# through aks-proxy --upstream in Chromium, with a cluster name that has dots
# (its cookie is headlamp-auth-aksprodwesteurope.N). See headlamp_e2e.sh.
MODE=multiplexer CLUSTER=aks.prod.westeurope
source "$(dirname "$0")/headlamp_e2e.sh"
run_headlamp_e2e
