#!/usr/bin/env bash
# Headlamp's default frontend (a WebSocket per watch) through aks-proxy
# --upstream in Chromium, starting with nobody signed in; cluster "main" as
# Headlamp's Helm chart names it; a page from another origin is refused.
# See headlamp_e2e.sh for the steps.
MODE=direct CLUSTER=main NO_TOKEN=1 EVIL=1
source "$(dirname "$0")/headlamp_e2e.sh"
run_headlamp_e2e
