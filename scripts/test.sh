#!/usr/bin/env bash
# The test command of the README: every unit, gradient-check and training test, optimised build
# (training tests run real networks; a debug build would only make them slower).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
swift test -c release "$@"
