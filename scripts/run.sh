#!/usr/bin/env bash
# The README's run command: builds the trainer (release) and trains a job spec locally.
#   scripts/run.sh SPEC.json --out DIR      (paths relative to where you run it)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-dependencies.sh"
(cd "$root" && swift build -c release --product pinn >&2)
exec "$root/.build/release/pinn" train "$@"
