#!/usr/bin/env bash
# Headlamp's default frontend through aks-proxy --headlamp-service (the API
# server's service proxy drops Authorization: the token reaches Headlamp only
# as its cookie) in Chromium, with a cluster name longer than Headlamp's
# 50-character cookie limit. See headlamp_e2e.sh.
MODE=direct SERVICE=1 CLUSTER=team-platform.aks-prod-westeurope-001.internal.contoso-example
source "$(dirname "$0")/headlamp_e2e.sh"
run_headlamp_e2e
