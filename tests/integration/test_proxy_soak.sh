#!/usr/bin/env bash
# One minute of scripts/soak.sh proxy: requests, watches, exec over WebSocket
# and vanishing clients at once through aks-proxy; every answer right, RSS and
# descriptors back to the baseline.
exec "$(dirname "$0")/../../scripts/soak.sh" proxy 1
