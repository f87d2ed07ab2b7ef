#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, and starts the service on 127.0.0.1:8080 with the
# embedded SQLite store under ./data (settings: config/server.json, PINN_* variables, or flags passed through).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
scripts/build-release.sh >&2   # pinn-server and the pinn client
exec .build/release/pinn-server "$@"
