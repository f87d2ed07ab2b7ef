#!/usr/bin/env bash
# The test command of the README: every unit, gradient-check and training test, optimised build
# (training tests run real networks; a debug build would only make them slower). -enable-testing lets the
# store's tests reach its internal SQLite layer (@testable import) in an optimised build. First, in a few seconds,
# the dashboard's JavaScript: ESLint and the node --test unit tests of its pure functions (scripts/dashboard-test.sh).
# Last, against a live pinn-server: the Python client package (scripts/python-client-test.sh, ~10 s) and the
# ONNX export with onnxruntime (scripts/onnx-test.sh, a few seconds with its venv in place).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
scripts/dashboard-test.sh
# The tests run on the OpenBLAS kernels the executables choose (`pinn kernels`, docs/design.md §7): where OpenBLAS
# misreads the CPU, 3–4× faster than its own choice. A user's OPENBLAS_CORETYPE is kept.
swift build -c release -Xswiftc -enable-testing --product pinn
if [[ -z "${OPENBLAS_CORETYPE:-}" ]] && core="$(.build/release/pinn kernels)" && [[ -n "$core" ]]; then
    export OPENBLAS_CORETYPE="$core"
fi
swift test -c release -Xswiftc -enable-testing "$@"
swift build -c release -Xswiftc -enable-testing --product pinn-server
scripts/python-client-test.sh --no-build
scripts/onnx-test.sh --no-build   # the binaries swift test and the line above built
