#!/usr/bin/env bash
# The ONNX export against a live server (scripts/onnx_test.py says what it checks): onnx.checker accepts the
# model of every adaptive mode, and onnxruntime reproduces /predict to 1e-12 (double) or 1e-6 (float) at 1,000
# random points. Builds pinn-server and pinn (release, the flags scripts/test.sh builds with) unless --no-build
# (scripts/test.sh passes it: its `swift test` has just built both, and another build with --product would compile
# every module again), and installs onnx, onnxruntime and numpy from PyPI into .venv-onnx/ when missing.
# Usage: scripts/onnx-test.sh [--no-build]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

case "${1:-}" in
    --no-build) ;;
    "") swift build -c release -Xswiftc -enable-testing --product pinn-server
        swift build -c release -Xswiftc -enable-testing --product pinn ;;
    *) echo "onnx-test: unknown argument $1 (usage: scripts/onnx-test.sh [--no-build])" >&2; exit 2 ;;
esac
for binary in .build/release/pinn-server .build/release/pinn; do
    [ -x "$binary" ] || { echo "onnx-test: $binary is missing; run without --no-build" >&2; exit 2; }
done

venv="$root/.venv-onnx"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import onnx, onnxruntime, numpy' 2>/dev/null \
    || "$venv/bin/pip" install -q --disable-pip-version-check 'onnx>=1.14,<2' 'onnxruntime>=1.16,<2' 'numpy>=1.24'

exec "$venv/bin/python" scripts/onnx_test.py --server .build/release/pinn-server --pinn .build/release/pinn
